/**
 * A frozen array whose elements are worked out on first use, so that a
 * value exported by the package costs nothing, and touches nothing, when
 * the package is imported: `backends` asks each back-end whether it runs
 * here, and the native back-end's answer looks for a compiler and headers.
 */

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { defineProperty, freeze } = Object;

/** Node's `util.inspect.custom`, by its registered name (no import of node:util). */
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * A read-only array that is `compute()`'s result, frozen, from the first
 * time anything looks at it (an index, `length`, iteration, `Object.keys`,
 * `JSON.stringify`, `Object.isFrozen`). `Array.isArray` holds from the start.
 */
export function lazyFrozenList<T>(compute: () => readonly T[]): readonly T[] {
  const target: T[] = [];
  let filled = false;
  const fill = (): void => {
    if (filled) return;
    filled = true;
    target.push(...compute());
    freeze(target);
  };
  // Node's console.log shows a proxy's target without asking the proxy;
  // this hook, found on the target, fills it first so the log shows the list.
  defineProperty(target, INSPECT, {
    value: () => {
      fill();
      return [...target];
    },
  });
  const handler: ProxyHandler<T[]> = {};
  for (const trap of TRAPS) {
    (handler as Record<string, unknown>)[trap] = (...args: unknown[]) => {
      fill();
      return (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return new Proxy(target, handler);
}

/** Every trap an array can be observed or changed through. */
const TRAPS = [
  "defineProperty",
  "deleteProperty",
  "get",
  "getOwnPropertyDescriptor",
  "getPrototypeOf",
  "has",
  "isExtensible",
  "ownKeys",
  "preventExtensions",
  "set",
  "setPrototypeOf",
] as const;
