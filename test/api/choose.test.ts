/**
 * The one place back-ends are chosen: by name, by default, and by the
 * back-end options each declares it takes.
 */

import { describe, expect, it } from "vitest";
import {
  artefactNames,
  backendForArtefact,
  chooseBackend,
  dumpNames,
  optionsFor,
  refusedOption,
} from "../../src/api/choose.js";
import { js } from "../../src/backends/js/index.js";
import { vm } from "../../src/backends/vm/index.js";
import { ExprBackendError } from "../../src/errors.js";

describe("choosing a back-end", () => {
  it("picks the fastest available by default, and js when only js takes the options given", () => {
    expect(chooseBackend(undefined, {}).name).toBe("js");
    expect(chooseBackend(undefined, { load: "module" }).name).toBe("js");
  });

  it("says what is wrong with a name or an option, as a back-end error pointing at the source", () => {
    const failure = (work: () => unknown) => {
      try {
        work();
      } catch (error) {
        expect(error).toBeInstanceOf(ExprBackendError);
        const e = error as ExprBackendError;
        return [e.message, e.source, e.offset, e.length];
      }
      return ["no error"];
    };
    expect(failure(() => chooseBackend("vm", { load: "module" }, "x+1"))).toEqual([
      "option 'load' applies only to the js back-end, not 'vm'",
      "x+1",
      0,
      3,
    ]);
    expect(failure(() => chooseBackend("VM", {}))[0]).toBe(
      "unknown back-end 'VM' (known: auto, treewalk, vm, closure, js, wasm, native)",
    );
  });

  it("passes each back-end only the options it takes", () => {
    expect(optionsFor(js, { load: "module" })).toEqual({ load: "module" });
    expect(optionsFor(vm, { load: "module" })).toEqual({});
    expect(refusedOption(vm, { load: "function" })).toBe("load");
    expect(refusedOption(vm, {})).toBeUndefined();
    expect(refusedOption(js, { load: "module" })).toBeUndefined();
  });

  it("names the dumps after the front end's stages and each back-end's artefact", () => {
    expect(artefactNames()).toEqual(["tree", "bytecode", "closures", "js", "wat", "c"]);
    expect(dumpNames()).toEqual([
      "tokens",
      "ast",
      "tree",
      "bytecode",
      "closures",
      "js",
      "wat",
      "c",
    ]);
    expect(backendForArtefact("wat")?.name).toBe("wasm");
    expect(backendForArtefact("ast")).toBeUndefined();
  });
});
