/**
 * The entry points, for any set of back-ends: `compile`, `compileAsync`
 * and `evaluate` each prepare one request (request.ts), build its program
 * and hand it to the engine the request chose. compile.ts binds them to
 * every back-end of the build; `createEngine` (engine.ts) to a list.
 */

import type { CompiledCode } from "../backends/backend.js";
import type { Program } from "../semantics/program.js";
import { TieredCode } from "./auto.js";
import { type BackendSet, optionsFor } from "./backend-set.js";
import type { Compiled } from "./compiled.js";
import { CompiledExpression } from "./expression.js";
import { guardStack, guardStackAsync } from "./frontend.js";
import type { Vars } from "./inputs.js";
import type { CompileOptions } from "./options.js";
import type { ParallelPlumbing } from "./parallel-load.js";
import { compileRequest, programOf, type Request } from "./request.js";

/** What the entries of one engine share: its back-ends and its parallel module. */
export interface EngineParts {
  readonly set: BackendSet;
  readonly parallel: ParallelPlumbing;
}

/** `evaluate` runs on the reference interpreter unless told otherwise (where the set has it). */
const EVALUATE_DEFAULT: CompileOptions = { backend: "treewalk" };

/** Compiles `source` with the engine `parts` choose. Throws ExprError. */
export function compileWith(
  parts: EngineParts,
  source: string,
  options: CompileOptions | null | undefined,
  fallback?: CompileOptions,
  fixed?: CompileOptions,
): Compiled {
  const request = compileRequest(parts.set, source, options, fallback, fixed);
  const program = programOf(request);
  return new CompiledExpression(request, program, codeOf(request, program), parts.parallel);
}

/** {@link compileWith} where the back-end loads asynchronously (`js` with `load: "module"`). */
export async function compileAsyncWith(
  parts: EngineParts,
  source: string,
  options: CompileOptions | null | undefined,
  fixed?: CompileOptions,
): Promise<Compiled> {
  const request = compileRequest(parts.set, source, options, undefined, fixed);
  const program = programOf(request);
  const { engine } = request;
  if (engine === "auto" || engine.compileAsync === undefined) {
    return new CompiledExpression(request, program, codeOf(request, program), parts.parallel);
  }
  const compileAsync = engine.compileAsync;
  const code = await guardStackAsync(source, () =>
    compileAsync.call(engine, program, request.backendOptions),
  );
  return new CompiledExpression(request, program, code, parts.parallel);
}

/** Compiles and evaluates once (with the reference interpreter by default). */
export function evaluateWith(
  parts: EngineParts,
  source: string,
  vars: Vars | undefined,
  options: CompileOptions | null | undefined,
  fixed?: CompileOptions,
): number {
  const fallback = parts.set.find("treewalk") === undefined ? undefined : EVALUATE_DEFAULT;
  const compiled = compileWith(parts, source, options, fallback, fixed);
  try {
    return compiled.evaluate(vars);
  } finally {
    compiled.dispose();
  }
}

/** The code of a request's engine: one back-end's, or auto's first tier now and the others later. */
function codeOf(request: Request, program: Program): CompiledCode {
  if (request.engine === "auto") {
    const { plan } = request;
    return guardStack(
      program.source,
      () =>
        new TieredCode(program, plan, (backend, p) =>
          guardStack(p.source, () => backend.compile(p, optionsFor(backend, request.options))),
        ),
    );
  }
  const { engine, backendOptions } = request;
  return guardStack(program.source, () => engine.compile(program, backendOptions));
}
