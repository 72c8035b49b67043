/**
 * The whole registry's back-ends as one {@link BackendSet}: what the
 * default entry points, `explain` and the CLI choose from. The choosing
 * itself (preference, look-up, messages, tier plans) is backend-set.ts;
 * these are its answers for every back-end this build has.
 */

import type {
  Backend,
  BackendName,
  BackendOptionName,
  BackendOptions,
} from "../backends/backend.js";
import { ALL_BACKENDS } from "../backends/registry.js";
import type { TierOptions, TierPlan } from "./auto.js";
import { type AUTO, BackendSet } from "./backend-set.js";

export type { Backend, CacheInfo } from "../backends/backend.js";
export { AUTO, givenOptions, optionsFor, refusedOption } from "./backend-set.js";

/** Every back-end of this build (the registry), as one set. */
export const BACKENDS: BackendSet = /* @__PURE__ */ new BackendSet(ALL_BACKENDS);

/** The back-end called `name`, available here or not; undefined if there is none. */
export function findBackend(name: string): Backend | undefined {
  return BACKENDS.find(name);
}

/** Every back-end, available here or not, in the order `explain` and `--help` show them. */
export function allBackends(): readonly Backend[] {
  return BACKENDS.all;
}

/** The names of every back-end, available here or not. */
export function allBackendNames(): BackendName[] {
  return BACKENDS.names();
}

/** The names of the back-ends usable in this process. */
export function backendNames(): BackendName[] {
  return BACKENDS.availableNames();
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

/** Every name the `backend` option takes: `auto`, then each back-end's. */
export function backendChoices(): string[] {
  return BACKENDS.choices();
}

/** "applies only to the js back-end": which back-ends take `option`. */
export function onlyFor(option: BackendOptionName): string {
  return BACKENDS.onlyFor(option);
}

/** {@link BackendSet.chooseEngine} over every back-end. */
export function chooseEngine(
  name: string | undefined,
  options: BackendOptions & TierOptions,
  source = "",
): Backend | typeof AUTO {
  return BACKENDS.chooseEngine(name, options, source);
}

/** {@link BackendSet.chooseBackend} over every back-end. */
export function chooseBackend(
  name: string | undefined,
  options: BackendOptions,
  source = "",
): Backend {
  return BACKENDS.chooseBackend(name, options, source);
}

/** {@link BackendSet.tierPlan} over every back-end. */
export function tierPlan(options: TierOptions, source: string): TierPlan {
  return BACKENDS.tierPlan(options, source);
}
