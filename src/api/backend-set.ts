/**
 * Choosing a back-end, for one list of back-ends: the one place that
 * knows the preference order, looks a name up, says "unknown or not
 * available here", checks back-end options against the back-end, and
 * plans the `auto` back-end's tiers. It imports no back-end: the list is
 * given (choose.ts gives the whole registry; `createEngine` the caller's
 * list), so a bundle carries only the back-ends its list names.
 */

import type {
  Backend,
  BackendName,
  BackendOptionName,
  BackendOptions,
} from "../backends/backend.js";
import { ExprBackendError, ExprOptionsError } from "../errors.js";
import { describeValue } from "../limits.js";
import { plural } from "../text/plural.js";
import {
  DEFAULT_JIT_THRESHOLD,
  DEFAULT_THRESHOLD,
  type TierOptions,
  type TierPlan,
} from "./auto.js";

/** The tiering back-end's name (src/api/auto.ts): not a back-end of its own, it runs the others. */
export const AUTO = "auto";

/**
 * Back-ends in the order the default prefers them: for `compile` with a
 * back-end option and no name, and (after the interpreter) for auto's
 * compiled tier. The one preference list.
 */
const PREFERENCE: readonly BackendName[] = ["js", "wasm", "vm", "treewalk"];

/** Every back-end option, for checking what a caller set. */
const OPTION_NAMES = ["load"] as const satisfies readonly BackendOptionName[];

/** A back-end option missing from {@link OPTION_NAMES}: a type error names it. */
type Unlisted = Exclude<BackendOptionName, (typeof OPTION_NAMES)[number]>;
const EVERY_OPTION_IS_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;
void EVERY_OPTION_IS_LISTED;

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { isArray } = Array;
const { isSafeInteger } = Number;

/** What a look-up found: the back-end, or why there is none to use (one sentence). */
export type Lookup =
  | { readonly backend: Backend; readonly problem?: undefined; readonly known?: undefined }
  | {
      readonly backend?: undefined;
      readonly problem: string;
      /** Whether the name is one of the set's (so only unavailable here). */
      readonly known: boolean;
    };

/** The back-end options set in `options` (those not undefined). */
export function givenOptions(options: BackendOptions): BackendOptionName[] {
  return OPTION_NAMES.filter((name) => options[name] !== undefined);
}

/** `options` without the back-end options `backend` does not take. */
export function optionsFor(backend: Backend, options: BackendOptions): BackendOptions {
  const kept: { -readonly [K in BackendOptionName]?: BackendOptions[K] } = {};
  for (const name of backend.options) kept[name] = options[name];
  return kept;
}

/** The first back-end option set in `options` that `backend` does not take, if any. */
export function refusedOption(
  backend: Backend,
  options: BackendOptions,
): BackendOptionName | undefined {
  return givenOptions(options).find((option) => !backend.options.includes(option));
}

/** A list of back-ends and every choice made from it. */
export class BackendSet {
  /** The default with no back-end option given, worked out once: it is on every compile's path. */
  private plainDefault: Backend | undefined;
  /** The plan of a compile that sets neither `tiers` nor `thresholds`, once worked out. */
  private defaultPlan: TierPlan | undefined;

  /** `all`: every back-end of this set, available here or not, in the order `explain` shows them. */
  constructor(readonly all: readonly Backend[]) {}

  /** The back-end called `name`, available here or not; undefined if there is none. */
  find(name: string): Backend | undefined {
    return this.all.find((b) => b.name === name);
  }

  /** The names of every back-end, available here or not. */
  names(): BackendName[] {
    return this.all.map((b) => b.name);
  }

  /** The names of the back-ends usable in this process. */
  availableNames(): BackendName[] {
    return this.all.filter((b) => b.availability().available).map((b) => b.name);
  }

  /** Every name the `backend` option takes: `auto`, then each back-end's. */
  choices(): string[] {
    return [AUTO, ...this.names()];
  }

  /**
   * The one look-up by name: the back-end, or the one message for a name
   * that is unknown (`choices` lists what is known) or a back-end that
   * cannot run here. Every caller (the `backend` option, `tiers`, the CLI)
   * wraps the message in its own error.
   */
  lookup(name: unknown, choices: readonly string[] = this.choices()): Lookup {
    const backend = typeof name === "string" ? this.find(name) : undefined;
    if (backend === undefined) {
      const shown = typeof name === "string" ? `'${name}'` : describeValue(name);
      return { problem: `unknown back-end ${shown} (known: ${choices.join(", ")})`, known: false };
    }
    const availability = backend.availability();
    if (!availability.available) {
      const usable = this.availableNames().join(", ");
      return {
        problem: `back-end '${backend.name}' is not available here: ${availability.reason} (available: ${usable})`,
        known: true,
      };
    }
    return { backend };
  }

  /** "applies only to the js back-end": which back-ends of the set take `option`. */
  onlyFor(option: BackendOptionName): string {
    const takers = this.all.filter((b) => b.options.includes(option)).map((b) => b.name);
    return takers.length === 0
      ? "applies to no back-end of this engine"
      : `applies only to the ${takers.join(", ")} back-end`;
  }

  /**
   * What compiles a program: `"auto"` when the caller asks for it, or names
   * nothing and sets no back-end option (with the js-only `load` alone the
   * default stays js, which loads modules); otherwise the back-end
   * {@link BackendSet.chooseBackend} gives. The auto back-end's `tiers`
   * and `thresholds` with another back-end, or a back-end option with
   * auto, are refused (ExprBackendError), as any option that would be
   * ignored.
   */
  chooseEngine(
    name: string | undefined,
    options: BackendOptions & TierOptions,
    source = "",
  ): Backend | typeof AUTO {
    const given = givenOptions(options);
    if (name === AUTO || (name === undefined && given.length === 0)) {
      const refused = given[0];
      if (refused !== undefined) {
        throw new ExprBackendError(
          `option '${refused}' ${this.onlyFor(refused)}, not '${AUTO}'`,
          source,
        );
      }
      return AUTO;
    }
    const backend = this.chooseBackend(name, options, source);
    const tierOption = (["tiers", "thresholds"] as const).find((o) => options[o] !== undefined);
    if (tierOption !== undefined) {
      throw new ExprBackendError(
        `option '${tierOption}' applies only to the ${AUTO} back-end, not '${backend.name}'`,
        source,
      );
    }
    return backend;
  }

  /**
   * The back-end called `name`, or by default the fastest available here
   * that takes every back-end option given. Throws ExprBackendError when the
   * name is unknown, the back-end cannot run here, or it does not take an
   * option given; `source` is what the error points at.
   */
  chooseBackend(name: string | undefined, options: BackendOptions, source = ""): Backend {
    if (name === undefined) return this.defaultBackend(givenOptions(options), source);
    const { backend, problem } = this.lookup(name);
    if (backend === undefined) throw new ExprBackendError(problem, source);
    const refused = refusedOption(backend, options);
    if (refused !== undefined) {
      throw new ExprBackendError(
        `option '${refused}' ${this.onlyFor(refused)}, not '${name}'`,
        source,
      );
    }
    return backend;
  }

  /**
   * The first back-end of {@link PREFERENCE} in this set that runs here and
   * takes the options given. Only those are asked whether they are
   * available, so the default never probes the native toolchain.
   */
  private defaultBackend(given: readonly BackendOptionName[], source: string): Backend {
    if (given.length === 0 && this.plainDefault !== undefined) return this.plainDefault;
    const backend = this.preferred((b) => given.every((o) => b.options.includes(o)));
    if (backend !== undefined) {
      if (given.length === 0) this.plainDefault = backend;
      return backend;
    }
    const option = given[0];
    if (option === undefined) {
      throw new ExprBackendError(
        `no back-end of this engine is available here (known: ${this.names().join(", ")})`,
        source,
      );
    }
    throw new ExprBackendError(
      `option '${option}' ${this.onlyFor(option)}, and none is available here`,
      source,
    );
  }

  /**
   * The first back-end in {@link PREFERENCE} order (then any other of the
   * set) that `fits` and runs here.
   */
  private preferred(fits: (backend: Backend) => boolean): Backend | undefined {
    const ordered = [
      ...PREFERENCE.map((name) => this.find(name)),
      ...this.all.filter((b) => !PREFERENCE.includes(b.name) && b.name !== "native"),
    ];
    for (const backend of ordered) {
      if (backend === undefined || !fits(backend)) continue;
      if (backend.availability().available) return backend;
    }
    return undefined;
  }

  /**
   * The plan for `options`: the caller's tiers and thresholds, checked, or
   * the default here (see {@link BackendSet.defaultTiers}). Thresholds
   * without tiers keep the default's first tier and its last ones, as
   * many as the thresholds need. Throws ExprOptionsError (ExprBackendError
   * for a tier that is known but not available here).
   */
  tierPlan(options: TierOptions, source: string): TierPlan {
    if (options.tiers === undefined && options.thresholds === undefined) {
      // On every default compile's path: worked out once, like the registry's availability.
      if (this.defaultPlan === undefined) {
        const tiers = this.defaultTiers();
        const thresholds = [DEFAULT_THRESHOLD, DEFAULT_JIT_THRESHOLD].slice(0, tiers.length - 1);
        this.defaultPlan = { tiers, thresholds };
      }
      return this.defaultPlan;
    }
    if (options.tiers === undefined) {
      const all = this.defaultTiers();
      const given = isArray(options.thresholds) ? options.thresholds.length : 0;
      const tiers =
        given === 0 || given + 1 >= all.length
          ? all
          : [all[0] as Backend, ...all.slice(all.length - given)];
      return { tiers, thresholds: checkedThresholds(options.thresholds, tiers.length, source) };
    }
    const tiers = this.checkedTiers(options.tiers, source);
    const thresholds =
      options.thresholds === undefined
        ? tiers.slice(1).map(() => DEFAULT_THRESHOLD)
        : checkedThresholds(options.thresholds, tiers.length, source);
    return { tiers, thresholds };
  }

  /**
   * The default tiers here: the interpreter, then the closure compiler,
   * then js where the engine allows `new Function`. Where it does not,
   * closures are the top tier: wasm is not faster per evaluation than
   * closures on the benchmark's typical expression (its calls cross from
   * JS into wasm and back) and costs ten times as much to compile. An
   * engine with neither takes its most preferred compiled back-end.
   */
  private defaultTiers(): readonly Backend[] {
    const first = this.find("treewalk");
    const usable = (name: BackendName): Backend | undefined => {
      const backend = this.find(name);
      return backend?.availability().available ? backend : undefined;
    };
    let compiled = [usable("closure"), usable("js")].filter((b): b is Backend => b !== undefined);
    if (compiled.length === 0) {
      const other = this.preferred((b) => b !== first);
      compiled = other === undefined ? [] : [other];
    }
    const tiers = [first, ...compiled].filter((b): b is Backend => b !== undefined);
    if (tiers.length === 0) {
      throw new ExprOptionsError(
        `no back-end of this engine is available here (known: ${this.names().join(", ")})`,
        "",
      );
    }
    return tiers;
  }

  private checkedTiers(tiers: unknown, source: string): readonly Backend[] {
    if (!isArray(tiers)) {
      throw new ExprOptionsError(
        `tiers must be an array of back-end names, not ${describeValue(tiers)}`,
        source,
      );
    }
    if (tiers.length === 0)
      throw new ExprOptionsError("tiers must name at least one back-end", source);
    const seen = new Set<string>();
    return tiers.map((name: unknown) => {
      const { backend, problem, known } = this.lookup(name, this.names());
      if (backend === undefined) {
        // A tier this machine lacks is not a mistake in the options: as for `backend`, an ExprBackendError.
        if (known) throw new ExprBackendError(`tiers: ${problem}`, source);
        throw new ExprOptionsError(`tiers: ${problem}`, source);
      }
      if (seen.has(backend.name)) {
        throw new ExprOptionsError(`tiers: '${backend.name}' is listed twice`, source);
      }
      seen.add(backend.name);
      return backend;
    });
  }
}

function checkedThresholds(
  thresholds: unknown,
  tierCount: number,
  source: string,
): readonly number[] {
  const expected = tierCount - 1;
  if (!isArray(thresholds) || thresholds.length !== expected) {
    const got = isArray(thresholds)
      ? plural(thresholds.length, "number")
      : describeValue(thresholds);
    throw new ExprOptionsError(
      `thresholds must give ${plural(expected, "call count")}, one for each tier after the first, got ${got}`,
      source,
    );
  }
  let previous = 0;
  return thresholds.map((value: unknown) => {
    if (typeof value !== "number" || !isSafeInteger(value) || value < previous) {
      throw new ExprOptionsError(
        `thresholds must be whole numbers of calls, 0 or more, each at least the one before: ${describeValue(value)} is not`,
        source,
      );
    }
    previous = value;
    return value;
  });
}
