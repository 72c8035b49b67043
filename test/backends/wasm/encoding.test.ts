/**
 * The binary encoders against known byte vectors: LEB128 edge cases, f64
 * constants, names, vectors and section framing.
 */

import { describe, expect, it } from "vitest";
import {
  ByteWriter,
  codeSection,
  exportSection,
  f64Bytes,
  functionSection,
  importSection,
  preamble,
  signedLeb128,
  typeSection,
  unsignedLeb128,
} from "../../../src/backends/wasm/encoding.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

describe("unsigned LEB128", () => {
  it.each([
    [0, "00"],
    [1, "01"],
    [63, "3f"],
    [64, "40"],
    [127, "7f"],
    [128, "8001"],
    [300, "ac02"],
    [16383, "ff7f"],
    [16384, "808001"],
    [2 ** 31 - 1, "ffffffff07"],
    [2 ** 32 - 1, "ffffffff0f"],
    [2 ** 32, "8080808010"],
  ])("%d → %s", (value, bytes) => {
    expect(hex(unsignedLeb128(value))).toBe(bytes);
  });
});

describe("signed LEB128", () => {
  it.each([
    [0, "00"],
    [1, "01"],
    [63, "3f"],
    [64, "c000"],
    [127, "ff00"],
    [128, "8001"],
    [-1, "7f"],
    [-64, "40"],
    [-65, "bf7f"],
    [-128, "807f"],
    [-129, "ff7e"],
    [2 ** 31 - 1, "ffffffff07"],
    [-(2 ** 31), "8080808078"],
    [2 ** 32, "8080808010"],
    [-(2 ** 32), "8080808070"],
  ])("%d → %s", (value, bytes) => {
    expect(hex(signedLeb128(value))).toBe(bytes);
  });
});

describe("f64 constants", () => {
  it.each([
    [1, "000000000000f03f"],
    [-2, "00000000000000c0"],
    [0, "0000000000000000"],
    [-0, "0000000000000080"],
    [0.1, "9a9999999999b93f"],
    [Number.POSITIVE_INFINITY, "000000000000f07f"],
    [Number.NEGATIVE_INFINITY, "000000000000f0ff"],
    [Number.MIN_VALUE, "0100000000000000"],
    [Number.MAX_VALUE, "ffffffffffffef7f"],
  ])("%d → %s (8 bytes, little-endian)", (value, bytes) => {
    expect(hex(f64Bytes(value))).toBe(bytes);
  });

  it("writes every NaN as the canonical quiet NaN", () => {
    const negativeNaN = new Float64Array(new BigUint64Array([0xfff8000000000001n]).buffer)[0];
    expect(hex(f64Bytes(Number.NaN))).toBe("000000000000f87f");
    expect(hex(f64Bytes(negativeNaN as number))).toBe("000000000000f87f");
  });
});

describe("names, vectors and growth", () => {
  it("writes a name as its UTF-8 length and bytes", () => {
    expect(hex(new ByteWriter().name("main").finish())).toBe("046d61696e");
    expect(hex(new ByteWriter().name("é").finish())).toBe("02c3a9");
  });

  it("writes a vector as its length and its elements", () => {
    const out = new ByteWriter().vector([1, 200], (w, n) => w.u32(n));
    expect(hex(out.finish())).toBe("0201c801");
  });

  it("grows past its first buffer without losing bytes", () => {
    const out = new ByteWriter();
    for (let i = 0; i < 1000; i++) out.byte(i % 256);
    out.f64(1);
    const bytes = out.finish();
    expect(bytes.length).toBe(1008);
    expect(bytes[999]).toBe(999 % 256);
    expect(hex(bytes.subarray(1000))).toBe("000000000000f03f");
  });

  it("keeps every byte in order across its chunks, written and appended", () => {
    // 20,000 bytes span three of the writer's 8,192-byte chunks; an f64 straddles a boundary.
    const inner = new ByteWriter();
    for (let i = 0; i < 8190; i++) inner.byte(i % 251);
    inner.f64(1);
    for (let i = 8198; i < 20_000; i++) inner.byte(i % 251);
    expect(inner.length).toBe(20_000);
    const out = new ByteWriter().byte(0xaa).append(inner).byte(0xbb);
    expect(out.length).toBe(20_002);
    const bytes = out.finish();
    expect(bytes.length).toBe(20_002);
    expect([bytes[0], bytes[20_001]]).toEqual([0xaa, 0xbb]);
    expect(hex(bytes.subarray(8191, 8199))).toBe("000000000000f03f");
    for (let i = 0; i < 20_000; i++) {
      if (i >= 8190 && i < 8198) continue;
      if (bytes[i + 1] !== i % 251) expect.fail(`byte ${i}: ${bytes[i + 1]}`);
    }
  });
});

describe("sections", () => {
  it("writes the magic and version", () => {
    const out = new ByteWriter();
    preamble(out);
    expect(hex(out.finish())).toBe("0061736d01000000");
  });

  it("writes the type section: 0x60, params, results", () => {
    const out = new ByteWriter();
    typeSection(out, [
      { params: [0x7c, 0x7c], results: [0x7c] },
      { params: [], results: [0x7c] },
    ]);
    expect(hex(out.finish())).toBe(`010b02${"60027c7c017c"}${"6000017c"}`);
  });

  it("writes the import section: module, field, 0x00, type index", () => {
    const out = new ByteWriter();
    importSection(out, [{ module: "js", field: "sin", kind: "func", type: 1 }]);
    expect(hex(out.finish())).toBe("020a01026a730373696e0001");
  });

  it("writes a table import: 0x01, funcref, limits with a minimum only", () => {
    const out = new ByteWriter();
    importSection(out, [{ module: "js", field: "functions", kind: "table", min: 200 }]);
    expect(hex(out.finish())).toBe(`0213${"01026a73"}${"0966756e6374696f6e73"}${"017000c801"}`);
  });

  it("writes the function and export sections", () => {
    const out = new ByteWriter();
    functionSection(out, [2]);
    exportSection(out, [{ name: "main", func: 3 }]);
    expect(hex(out.finish())).toBe(`03020102${"070801046d61696e0003"}`);
  });

  it("writes the code section: body size, no locals, the expression", () => {
    const out = new ByteWriter();
    codeSection(out, [{ f64Locals: 0, expr: new ByteWriter().byte(0x20).byte(0x00).byte(0x0b) }]);
    expect(hex(out.finish())).toBe("0a0601040020000b");
  });

  it("declares f64 locals as one run: count, 0x7c", () => {
    const out = new ByteWriter();
    codeSection(out, [{ f64Locals: 1, expr: new ByteWriter().byte(0x0b) }]);
    expect(hex(out.finish())).toBe("0a06010401017c0b");
  });

  it("writes a section size past 127 as a two-byte LEB128", () => {
    const out = new ByteWriter();
    codeSection(out, [
      { f64Locals: 0, expr: new ByteWriter().bytes(new Array<number>(200).fill(0)) },
    ]);
    const bytes = out.finish();
    // id, size 0xcc 0x01 (= 204: count 1, body size 2 bytes, locals 1, 200 bytes)
    expect(hex(bytes.subarray(0, 6))).toBe("0acc0101c901");
    expect(bytes.length).toBe(207);
  });
});
