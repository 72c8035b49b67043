/**
 * The syntax tree the parser builds: exactly what was written, with spans.
 * Names are not resolved here (see semantics/resolve.ts); `**` is stored as
 * `^` since the two mean the same.
 */

import type { SourceRange } from "../text/range.js";
import type { BinaryOp, UnaryOp } from "./operators.js";

/** Common to every node: where it stands in the source (`end` is exclusive). */
type Located = SourceRange;

/** A number literal; `value` is what `Number(text)` gives, never negative. */
export interface NumberLiteral extends Located {
  readonly kind: "number";
  readonly value: number;
}

/** A name not followed by `(`: a constant or a variable, decided by resolve. */
export interface Identifier extends Located {
  readonly kind: "identifier";
  readonly name: string;
}

/** `name(args)`; `nameEnd` ends the name, for errors that point at it. */
export interface Call extends Located {
  readonly kind: "call";
  readonly callee: string;
  readonly nameEnd: number;
  readonly args: readonly Expr[];
}

/** A prefix operator applied to its operand. */
export interface Unary extends Located {
  readonly kind: "unary";
  readonly op: UnaryOp;
  readonly operand: Expr;
}

/** A binary operator; `opStart` is where the operator token stands. */
export interface Binary extends Located {
  readonly kind: "binary";
  readonly op: BinaryOp;
  readonly opStart: number;
  readonly left: Expr;
  readonly right: Expr;
}

/** `test ? consequent : alternate`. */
export interface Conditional extends Located {
  readonly kind: "conditional";
  readonly test: Expr;
  readonly consequent: Expr;
  readonly alternate: Expr;
}

/** Any expression. */
export type Expr = NumberLiteral | Identifier | Call | Unary | Binary | Conditional;

/** `name = value;` (v3): the span runs from the name to the `;`; the name ends at `nameEnd`. */
export interface BindingSyntax extends Located {
  readonly name: string;
  readonly nameEnd: number;
  readonly value: Expr;
}

/** A whole program as written: its bindings in order, then its result. */
export interface ProgramSyntax {
  readonly kind: "program";
  readonly bindings: readonly BindingSyntax[];
  readonly result: Expr;
}
