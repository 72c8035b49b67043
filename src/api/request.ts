/**
 * One request, prepared once: every entry point (`compile`,
 * `compileAsync`, `evaluate`, `resolveProgram`, an environment's entries,
 * the parallel worker through `compileAsync`) turns what its caller gave
 * into a {@link Request} here, and nothing downstream checks the options
 * or looks up the user names again. The order is fixed: the options'
 * shape, then the user names, then (for a compile) the engine: `auto`
 * with its checked tier plan, or one back-end with the back-end options
 * it takes. The program itself is built from the request (frontend.ts).
 */

import type { Backend, BackendOptions } from "../backends/backend.js";
import type { ValidatedExtension } from "../semantics/extension.js";
import type { Program } from "../semantics/program.js";
import type { TierPlan } from "./auto.js";
import { AUTO, type BackendSet, optionsFor } from "./backend-set.js";
import { toProgram } from "./frontend.js";
import { type CompileOptions, checkOptions } from "./options.js";
import { userNamesOf } from "./scope.js";

/** What the front end needs: the source, the checked options, the user names. */
export interface SourceRequest {
  readonly source: string;
  /** The caller's options, checked (an object, `{}` for none). */
  readonly options: CompileOptions;
  /** The application's names, validated; undefined when there are none. */
  readonly user: ValidatedExtension | undefined;
}

/** A compile's request: the front end's, and the engine that compiles it. */
export type Request = SourceRequest &
  (
    | { readonly engine: typeof AUTO; readonly plan: TierPlan }
    | { readonly engine: Backend; readonly backendOptions: BackendOptions }
  );

/**
 * The front end's part of a request: the options' shape, then the user
 * names (validated now, or an environment's, validated when it was made).
 * `fallback` fills options the caller left out (`evaluate`'s back-end);
 * `fixed` overrides the caller's (an environment's own names). Throws
 * ExprError.
 */
export function sourceRequest(
  source: string,
  options: CompileOptions | null | undefined,
  fallback?: CompileOptions,
  fixed?: CompileOptions,
): SourceRequest {
  let checked = checkOptions(options, source);
  if (fallback !== undefined || fixed !== undefined)
    checked = { ...fallback, ...checked, ...fixed };
  return { source, options: checked, user: userNamesOf(checked, checked, source) };
}

/** A whole compile request over the back-ends of `set`. Throws ExprError. */
export function compileRequest(
  set: BackendSet,
  source: string,
  options: CompileOptions | null | undefined,
  fallback?: CompileOptions,
  fixed?: CompileOptions,
): Request {
  const { options: checked, user } = sourceRequest(source, options, fallback, fixed);
  const engine = set.chooseEngine(checked.backend, checked, source);
  // Literals, not spreads of the front end's request: this is on every compile's path,
  // and V8 copies a spread object through a slow path here (measured: compile twice as slow).
  if (engine === AUTO) {
    return { source, options: checked, user, engine, plan: set.tierPlan(checked, source) };
  }
  return { source, options: checked, user, engine, backendOptions: optionsFor(engine, checked) };
}

/** The lowered Program of a request: what every back-end receives. Throws ExprError. */
export function programOf(request: SourceRequest): Program {
  return toProgram(request.source, request.options, request.user);
}
