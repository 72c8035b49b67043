/**
 * The WebAssembly binary format, the parts this back-end needs: LEB128
 * integers, f64 constants, vectors, names, table types, and the type,
 * import, function, export and code sections. Each encoder is headed by the spec section it
 * implements. Nothing here knows about expressions.
 *
 * Spec: https://webassembly.github.io/spec/core/binary/index.html
 */

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { floor } = Math;
const { isNaN: isNan } = Number;
const { from: arrayFrom } = Array;

/**
 * Bytes per chunk of a {@link ByteWriter}. A plain array of more than some
 * 16,000 elements moves to V8's large-object space, where a push cost 20 to
 * 40 times as much (measured on Node 20: 4 ns, then 100–200 ns), so a big
 * module's bytes collect in arrays that never get that long.
 */
const CHUNK = 8192;

/**
 * A growable byte buffer: everything below writes into one. Bytes collect
 * in plain arrays (cheap to grow; small typed arrays cost an off-heap
 * allocation each), in chunks of {@link CHUNK}, and become one Uint8Array
 * at the end.
 */
export class ByteWriter {
  /** The full chunks, {@link CHUNK} bytes each. */
  private readonly full: number[][] = [];
  /** The chunk being filled: never {@link CHUNK} long. */
  private data: number[] = [];

  /** Bytes written so far. */
  get length(): number {
    return this.full.length * CHUNK + this.data.length;
  }

  /** One byte (0–255). */
  byte(value: number): this {
    const data = this.data;
    data.push(value);
    if (data.length === CHUNK) {
      this.full.push(data);
      this.data = [];
    }
    return this;
  }

  /** Raw bytes, as they are. */
  bytes(values: readonly number[]): this {
    for (let i = 0; i < values.length; i++) this.byte(values[i] as number);
    return this;
  }

  /** Everything `other` holds, appended. */
  append(other: ByteWriter): this {
    for (const chunk of other.full) this.bytes(chunk);
    return this.bytes(other.data);
  }

  /**
   * Unsigned LEB128.
   * https://webassembly.github.io/spec/core/binary/values.html#integers
   *
   * Division rather than `>>>` so values up to 2^53 encode (a `u32` only
   * needs 32 bits, but the tests reach past it).
   */
  u32(value: number): this {
    let rest = value;
    for (;;) {
      const low = rest % 128;
      rest = floor(rest / 128);
      if (rest === 0) return this.byte(low);
      this.byte(low | 0x80);
    }
  }

  /**
   * Signed LEB128 (two's complement, sign-extended from the last byte's bit 6).
   * https://webassembly.github.io/spec/core/binary/values.html#integers
   */
  s32(value: number): this {
    let rest = value;
    for (;;) {
      const low = ((rest % 128) + 128) % 128;
      rest = floor(rest / 128);
      const signBit = (low & 0x40) !== 0;
      if ((rest === 0 && !signBit) || (rest === -1 && signBit)) return this.byte(low);
      this.byte(low | 0x80);
    }
  }

  /**
   * An f64: IEEE-754 binary64, 8 bytes little-endian. Every NaN is written
   * as the canonical quiet NaN (as WAT's `nan` is), so the bytes and the
   * text agree; JavaScript cannot observe a NaN's payload anyway.
   * https://webassembly.github.io/spec/core/binary/values.html#floating-point
   */
  f64(value: number): this {
    if (isNan(value)) return this.bytes(CANONICAL_NAN);
    SCRATCH.setFloat64(0, value, true);
    for (let i = 0; i < 8; i++) this.byte(SCRATCH_BYTES[i] as number);
    return this;
  }

  /**
   * A name: a vector of its UTF-8 bytes.
   * https://webassembly.github.io/spec/core/binary/values.html#names
   */
  name(text: string): this {
    // Our names are printable ASCII (one byte per character); the encoder is there for any other.
    if (!/[^ -~]/.test(text)) {
      this.u32(text.length);
      for (let i = 0; i < text.length; i++) this.byte(text.charCodeAt(i));
      return this;
    }
    const utf8 = arrayFrom(ENCODER.encode(text));
    return this.u32(utf8.length).bytes(utf8);
  }

  /**
   * A vector: its length, then each element.
   * https://webassembly.github.io/spec/core/binary/conventions.html#vectors
   */
  vector<T>(items: readonly T[], write: (out: this, item: T) => void): this {
    this.u32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  /** The bytes written, as a fresh array. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    this.full.forEach((chunk, i) => {
      out.set(chunk, i * CHUNK);
    });
    out.set(this.data, this.full.length * CHUNK);
    return out;
  }
}

const ENCODER = new TextEncoder();

/** Where an f64 is laid out little-endian before it is copied in. */
const SCRATCH_BYTES = new Uint8Array(8);
const SCRATCH = new DataView(SCRATCH_BYTES.buffer);

/** 0x7ff8000000000000, little-endian. */
const CANONICAL_NAN = [0, 0, 0, 0, 0, 0, 0xf8, 0x7f];

/** Unsigned LEB128 of `value`, on its own (for tests and dumps). */
export function unsignedLeb128(value: number): Uint8Array {
  return new ByteWriter().u32(value).finish();
}

/** Signed LEB128 of `value`, on its own (for tests and dumps). */
export function signedLeb128(value: number): Uint8Array {
  return new ByteWriter().s32(value).finish();
}

/** The 8 bytes of `f64.const value`'s immediate. */
export function f64Bytes(value: number): Uint8Array {
  return new ByteWriter().f64(value).finish();
}

/**
 * The module preamble: magic `\0asm` and version 1.
 * https://webassembly.github.io/spec/core/binary/modules.html#binary-module
 */
export function preamble(out: ByteWriter): void {
  out.bytes(PREAMBLE);
}

const PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/**
 * A section: its id, the byte size of its contents, the contents.
 * https://webassembly.github.io/spec/core/binary/modules.html#sections
 */
export function section(out: ByteWriter, id: number, contents: ByteWriter): void {
  out.byte(id).u32(contents.length).append(contents);
}

/** Section ids: https://webassembly.github.io/spec/core/binary/modules.html#sections */
export const SECTION = {
  type: 1,
  import: 2,
  function: 3,
  memory: 5,
  export: 7,
  code: 10,
} as const;

/** A function type: parameter and result value-type bytes. */
export interface FuncType {
  readonly params: readonly number[];
  readonly results: readonly number[];
}

/**
 * The type section: a vector of function types, each `0x60 params results`.
 * https://webassembly.github.io/spec/core/binary/modules.html#type-section
 * https://webassembly.github.io/spec/core/binary/types.html#function-types
 */
export function typeSection(out: ByteWriter, types: readonly FuncType[]): void {
  const body = new ByteWriter().vector(types, (w, type) => {
    w.byte(0x60);
    w.vector(type.params, (v, t) => v.byte(t));
    w.vector(type.results, (v, t) => v.byte(t));
  });
  section(out, SECTION.type, body);
}

/** An import: a function (by type index), a funcref table or a memory (by its least size). */
export type Import =
  | {
      readonly module: string;
      readonly field: string;
      readonly kind: "func";
      readonly type: number;
    }
  | {
      readonly module: string;
      readonly field: string;
      readonly kind: "table" | "memory";
      readonly min: number;
    };

/**
 * The import section: each import is `module name, field name`, then its
 * description: `0x00 typeidx` for a function, `0x01 tabletype` for a table,
 * `0x02 limits` (a minimum of pages, no maximum) for a memory.
 * https://webassembly.github.io/spec/core/binary/modules.html#import-section
 */
export function importSection(out: ByteWriter, imports: readonly Import[]): void {
  const body = new ByteWriter().vector(imports, (w, imp) => {
    w.name(imp.module).name(imp.field);
    if (imp.kind === "func") w.byte(0x00).u32(imp.type);
    else if (imp.kind === "table") tableType(w.byte(0x01), imp.min);
    else w.byte(0x02).byte(0x00).u32(imp.min);
  });
  section(out, SECTION.import, body);
}

/**
 * A table type: `funcref` (0x70), then limits with a minimum and no
 * maximum (0x00 min), so the table can grow after modules import it.
 * https://webassembly.github.io/spec/core/binary/types.html#table-types
 * https://webassembly.github.io/spec/core/binary/types.html#limits
 */
export function tableType(out: ByteWriter, min: number): void {
  out.byte(0x70).byte(0x00).u32(min);
}

/**
 * The function section: the type index of each function defined here.
 * https://webassembly.github.io/spec/core/binary/modules.html#function-section
 */
export function functionSection(out: ByteWriter, typeIndices: readonly number[]): void {
  section(
    out,
    SECTION.function,
    new ByteWriter().vector(typeIndices, (w, t) => w.u32(t)),
  );
}

/** A function export, or (with `memory`) an export of memory `func`. */
export interface FuncExport {
  readonly name: string;
  readonly func: number;
  readonly memory?: true;
}

/**
 * The export section: each export is `name, 0x00 funcidx` (a function) or
 * `name, 0x02 memidx` (a memory).
 * https://webassembly.github.io/spec/core/binary/modules.html#export-section
 */
export function exportSection(out: ByteWriter, exports: readonly FuncExport[]): void {
  const body = new ByteWriter().vector(exports, (w, exp) => {
    w.name(exp.name)
      .byte(exp.memory === true ? 0x02 : 0x00)
      .u32(exp.func);
  });
  section(out, SECTION.export, body);
}

/**
 * The memory section: one memory of `pages` 64 KiB pages, no maximum.
 * https://webassembly.github.io/spec/core/binary/modules.html#memory-section
 */
export function memorySection(out: ByteWriter, pages: number): void {
  section(out, SECTION.memory, new ByteWriter().u32(1).byte(0x00).u32(pages));
}

/**
 * A function body: how many f64 locals it declares past its parameters (or,
 * with `locals`, runs of `count` locals of a value type), and its expression.
 */
export interface Body {
  readonly f64Locals: number;
  readonly locals?: readonly (readonly [count: number, valtype: number])[];
  readonly expr: ByteWriter;
}

/**
 * The code section: for each function, its size, then its locals (a vector
 * of `count valtype` runs: here none, or one run of f64) and its
 * expression, which must end with `end` (0x0b).
 * https://webassembly.github.io/spec/core/binary/modules.html#code-section
 */
export function codeSection(out: ByteWriter, bodies: readonly Body[]): void {
  const contents = new ByteWriter().vector(bodies, (w, body) => {
    const locals = new ByteWriter();
    if (body.locals !== undefined) {
      locals.vector(body.locals, (l, [count, valtype]) => l.u32(count).byte(valtype));
    } else if (body.f64Locals === 0) locals.u32(0);
    else locals.u32(1).u32(body.f64Locals).byte(0x7c);
    w.u32(locals.length + body.expr.length)
      .append(locals)
      .append(body.expr);
  });
  section(out, SECTION.code, contents);
}
