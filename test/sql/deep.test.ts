/**
 * toSQL at the depth limit: the emitter recurses per level, several frames
 * deep, so a tree the front end accepts may exhaust the stack there; that
 * must be an ExprError (kind limit), never a raw RangeError. `explain`
 * shows the other stages and says why the SQL is missing.
 */

import { describe, expect, it } from "vitest";
import { ExprError, toSQL } from "../../src/index.js";

const DEEP = `${"abs(".repeat(1_999)}x${")".repeat(1_999)}`;

describe("toSQL at the depth limit", () => {
  for (const dialect of ["duckdb", "postgres", "clickhouse"] as const) {
    it(`gives SQL or an ExprError on ${dialect}, never a raw stack overflow`, () => {
      let caught: unknown;
      try {
        expect(typeof toSQL(DEEP, { dialect })).toBe("string");
      } catch (error) {
        caught = error;
      }
      if (caught !== undefined) {
        expect(caught).toBeInstanceOf(ExprError);
        expect((caught as ExprError).kind).toBe("limit");
      }
    });
  }
});
