/**
 * `out` overlapping an input column (issue 20, defect 1): every back-end
 * and entry gives what row-by-row evaluation of the inputs as they were
 * gives, whichever way the two views overlap (out ahead of, behind, or
 * exactly on the column), with plain and shared buffers.
 */

import { describe, expect, it } from "vitest";
import { closeBatchWorkers, compile } from "../../src/index.js";
import { BACKENDS } from "../support/backends.js";

const names = [...BACKENDS.map((b) => b.name), "auto"] as const;

/** Row count large enough for the parallel path to split across threads. */
const BIG = 1 << 17;

function filled(n: number, shared: boolean): Float64Array {
  const buffer = shared ? new SharedArrayBuffer(n * 8) : new ArrayBuffer(n * 8);
  const view = new Float64Array(buffer);
  for (let i = 0; i < n; i++) view[i] = i + 1;
  return view;
}

describe.each(names)("out overlapping a column on %s", (backend) => {
  const f = compile("x + 0 * y", { backend });

  it("out one row ahead of the column gives the inputs as they were", () => {
    const buf = new Float64Array([1, 2, 3, 4]);
    const out = f.evaluateBatch({ x: buf.subarray(0, 3), y: 1 }, { out: buf.subarray(1, 4) });
    expect(Array.from(out)).toEqual([1, 2, 3]);
    expect(Array.from(buf)).toEqual([1, 1, 2, 3]);
  });

  it("out one row behind the column gives the inputs as they were", () => {
    const buf = new Float64Array([1, 2, 3, 4]);
    const out = f.evaluateBatch({ x: buf.subarray(1, 4), y: 1 }, { out: buf.subarray(0, 3) });
    expect(Array.from(out)).toEqual([2, 3, 4]);
  });

  it("out overlapping by part of a row (a byte offset) gives the inputs as they were", () => {
    const bytes = new ArrayBuffer(8 * 5);
    const x = new Float64Array(bytes, 0, 3);
    x.set([1.5, 2.5, 3.5]);
    const want = Array.from(x);
    const out = new Float64Array(bytes, 8, 3);
    f.evaluateBatch({ x, y: 0 }, { out });
    expect(Array.from(out)).toEqual(want);
  });

  it.each([false, true])(
    "a parallel batch of out ahead of the column (shared %s)",
    async (shared) => {
      const buf = filled(BIG + 1, shared);
      const out = await f.evaluateBatchParallel(
        { x: buf.subarray(0, BIG), y: buf.subarray(0, BIG) },
        { out: buf.subarray(1, BIG + 1), workers: 2 },
      );
      let wrong = -1;
      for (let i = 0; i < BIG; i++) {
        if (!Object.is(out[i], i + 1)) {
          wrong = i;
          break;
        }
      }
      expect(wrong).toBe(-1);
      await closeBatchWorkers();
    },
  );

  it("a long sequential batch of out ahead of the column (chunked paths too)", () => {
    const buf = filled(BIG + 1, false);
    const plain = Array.from(buf.subarray(0, BIG));
    const out = f.evaluateBatch({ x: buf.subarray(0, BIG), y: plain }, { out: buf.subarray(1) });
    let wrong = -1;
    for (let i = 0; i < BIG; i++) {
      if (!Object.is(out[i], i + 1)) {
        wrong = i;
        break;
      }
    }
    expect(wrong).toBe(-1);
  });
});
