/**
 * Which back-end runs a program: the one the caller named, or the fastest
 * one available here that takes the options given. This is the one place
 * that knows about back-end names, availability and back-end options; the
 * public API, `explain` and the CLI all ask it.
 */

import type {
  Backend,
  BackendName,
  BackendOptionName,
  BackendOptions,
} from "../backends/backend.js";
import { ALL_BACKENDS, availableBackends, findBackend } from "../backends/registry.js";
import { ExprBackendError } from "../errors.js";
import type { TierOptions } from "./auto.js";

export type { Backend, CacheInfo } from "../backends/backend.js";
/** The back-end called `name`, available here or not; undefined if there is none. */
export { findBackend };

/** Every back-end, available here or not, in the order `explain` and `--help` show them. */
export function allBackends(): readonly Backend[] {
  return ALL_BACKENDS;
}

/** Back-ends in the order the default prefers them. */
const PREFERENCE: readonly BackendName[] = ["js", "wasm", "vm", "treewalk"];

/** Every back-end option, for checking what a caller set. */
const OPTION_NAMES = ["load"] as const satisfies readonly BackendOptionName[];

/** A back-end option missing from {@link OPTION_NAMES}: a type error names it. */
type Unlisted = Exclude<BackendOptionName, (typeof OPTION_NAMES)[number]>;
const EVERY_OPTION_IS_LISTED: [Unlisted] extends [never] ? true : Unlisted = true;
void EVERY_OPTION_IS_LISTED;

/** The names of every back-end, available here or not. */
export function allBackendNames(): BackendName[] {
  return ALL_BACKENDS.map((b) => b.name);
}

/** The names of the back-ends usable in this process. */
export function backendNames(): BackendName[] {
  return availableBackends().map((b) => b.name);
}

/** The `--dump` names of the back-ends' artefacts (`tree`, `bytecode`, `js`, `wat`, `c`). */
export function artefactNames(): string[] {
  const names: string[] = [];
  for (const backend of ALL_BACKENDS)
    if (backend.artefact !== undefined) names.push(backend.artefact);
  return names;
}

/** The `--dump` names: the front end's stages (`tokens`, `ast`), then each back-end's artefact. */
export function dumpNames(): string[] {
  return ["tokens", "ast", ...artefactNames()];
}

/** The back-end whose artefact is called `artefact`, if any. */
export function backendForArtefact(artefact: string): Backend | undefined {
  return ALL_BACKENDS.find((b) => b.artefact === artefact);
}

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

/** The tiering back-end's name (src/api/auto.ts): not in the registry, it runs the others. */
export const AUTO = "auto";

/** Every name the `backend` option takes: `auto`, then each back-end's. */
export function backendChoices(): string[] {
  return [AUTO, ...allBackendNames()];
}

/**
 * What compiles a program: `"auto"` when the caller asks for it, or names
 * nothing and sets no back-end option (with the js-only `load` alone the
 * default stays js, which loads modules); otherwise the back-end
 * {@link chooseBackend} gives. The auto back-end's `tiers` and
 * `thresholds` with another back-end, or a back-end option with auto,
 * are refused (ExprBackendError), as any option that would be ignored.
 */
export function chooseEngine(
  name: string | undefined,
  options: BackendOptions & TierOptions,
  source = "",
): Backend | typeof AUTO {
  const given = givenOptions(options);
  if (name === AUTO || (name === undefined && given.length === 0)) {
    const refused = given[0];
    if (refused !== undefined) {
      throw failure(`option '${refused}' ${onlyFor(refused)}, not '${AUTO}'`, source);
    }
    return AUTO;
  }
  const backend = chooseBackend(name, options, source);
  const tierOption = (["tiers", "thresholds"] as const).find((o) => options[o] !== undefined);
  if (tierOption !== undefined) {
    throw failure(
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
export function chooseBackend(
  name: string | undefined,
  options: BackendOptions,
  source = "",
): Backend {
  const given = givenOptions(options);
  if (name === undefined) return defaultBackend(given, source);
  const backend = findBackend(name);
  if (backend === undefined) {
    throw failure(`unknown back-end '${name}' (known: ${backendChoices().join(", ")})`, source);
  }
  const availability = backend.availability();
  if (!availability.available) {
    const usable = backendNames().join(", ");
    throw failure(
      `back-end '${name}' is not available here: ${availability.reason} (available: ${usable})`,
      source,
    );
  }
  const refused = refusedOption(backend, options);
  if (refused !== undefined) {
    throw failure(`option '${refused}' ${onlyFor(refused)}, not '${name}'`, source);
  }
  return backend;
}

/** The first back-end option set in `options` that `backend` does not take, if any. */
export function refusedOption(
  backend: Backend,
  options: BackendOptions,
): BackendOptionName | undefined {
  return givenOptions(options).find((option) => !backend.options.includes(option));
}

/** "applies only to the js back-end": which back-ends take `option`. */
export function onlyFor(option: BackendOptionName): string {
  const takers = ALL_BACKENDS.filter((b) => b.options.includes(option)).map((b) => b.name);
  return `applies only to the ${takers.join(", ")} back-end`;
}

/** The default with no back-end option given, worked out once: it is on every compile's path. */
let plainDefault: Backend | undefined;

/**
 * The first back-end of {@link PREFERENCE} that runs here and takes the
 * options given. Only those are asked whether they are available, so the
 * default never probes the native toolchain.
 */
function defaultBackend(given: readonly BackendOptionName[], source: string): Backend {
  if (given.length === 0 && plainDefault !== undefined) return plainDefault;
  for (const name of PREFERENCE) {
    const backend = findBackend(name);
    if (backend === undefined || !given.every((o) => backend.options.includes(o))) continue;
    if (!backend.availability().available) continue;
    if (given.length === 0) plainDefault = backend;
    return backend;
  }
  const option = given[0] as BackendOptionName;
  throw failure(`option '${option}' ${onlyFor(option)}, and none is available here`, source);
}

function failure(message: string, source: string): ExprBackendError {
  return new ExprBackendError(message, source);
}
