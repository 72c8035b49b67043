/**
 * The end of every `switch` over a closed set (operators, node kinds,
 * spellings): it takes `never`, so a case left out is a type error where
 * the switch is, not a silent fall-through at run time.
 */

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { stringify } = JSON;

/** Marks a place no value can reach; throws if one does (a bug, not bad input). */
export function unreachable(value: never, what: string): never {
  throw new Error(`exprjit: unexpected ${what} ${stringify(value)}`);
}
