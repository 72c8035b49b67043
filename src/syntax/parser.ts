/**
 * The parser: tokens → syntax tree, driven by THE precedence table in
 * operators.ts.
 *
 * It is an operator-precedence parser with explicit stacks (Dijkstra's
 * shunting-yard, extended with prefix operators, calls and `?:`) rather
 * than recursive descent: with no recursion, no input can overflow the
 * host's stack, whatever its nesting. It alternates between two states:
 * expecting an operand (a number, a name, a call, a prefix operator or `(`)
 * and expecting an operator (a binary operator, `?`, `:`, `,`, `)` or the
 * end). Pending operators wait on one stack, finished subtrees on another;
 * an operator is applied ("reduced") as soon as a looser one arrives.
 *
 * The grammar it accepts (LANGUAGE.md):
 *   expr  := cond
 *   cond  := or [ "?" expr ":" cond ]           right-associative
 *   or    := and { "||" and }  …  prod := unary { ("*"|"/"|"%") unary }
 *   cmp   := sum [ cmpop sum ]                  not associative
 *   unary := ("-"|"+"|"!") unary | power
 *   power := primary [ ("^"|"**") unary ]       right-associative
 *   primary := NUMBER | IDENT | IDENT "(" [ expr { "," expr } ] ")" | "(" expr ")"
 *
 * Depth is counted as the tree is built (parentheses count as a level), and
 * past `maxDepth` the parser stops with an ExprLimitError pointing at what
 * stands at level `maxDepth + 1` counted from the outside: the first
 * bracket or operator past the limit, or the innermost operand when the
 * limit is passed only once the tree is complete.
 */

import { ExprLimitError, ExprSyntaxError } from "../errors.js";
import { checkLimits, type Limits } from "../limits.js";
import { lineColumn } from "../text/lines.js";
import { plural } from "../text/plural.js";
import type { SourceRange } from "../text/range.js";
import type { Expr } from "./ast.js";
import { Lexer } from "./lexer.js";
import {
  BINARY_BY_KIND,
  type BinaryEntry,
  type BinaryOp,
  LEVEL,
  UNARY_BY_KIND,
  type UnaryOp,
} from "./operators.js";
import { describeToken, type TokenType } from "./token.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { max: maxOf } = Math;

/** Parses `source` into a syntax tree. Throws ExprError (syntax or limit). */
export function parseExpression(source: string, limits: Limits | null = {}): Expr {
  const { maxLength, maxDepth } = checkLimits(limits, source);
  if (source.length > maxLength) {
    throw new ExprLimitError(
      `expression is too long: ${source.length} characters (the limit is ${maxLength})`,
      source,
      { offset: maxLength, length: source.length - maxLength },
    );
  }
  return new Parser(source, maxDepth).parse();
}

/** Where a token stood: enough to point an error at it. */
type At = SourceRange;

/** A pending operator or an open bracket, waiting on the operator stack. */
/**
 * Every entry has every field, so V8 sees one object shape: a stack of six
 * differently shaped entries made each access megamorphic, several times
 * slower.
 */
class Pending implements At {
  /** A call's deepest argument so far. */
  depth = 0;
  /** The innermost operand on that argument's longest path. */
  deepest: At = NOWHERE;

  constructor(
    readonly kind: "unary" | "binary" | "paren" | "call" | "question" | "colon",
    readonly start: number,
    readonly end: number,
    /** The operator, for unary and binary entries. */
    readonly op: BinaryOp | UnaryOp | "" = "",
    /** The level it binds at when a binary operator arrives; -1 if it is never applied then. */
    readonly level: number = -1,
    /** A call's `(`. */
    readonly open: At = { start, end },
    /** A call's arguments so far. */
    readonly args: Expr[] = [],
  ) {}
}

const NOWHERE: At = { start: 0, end: 0 };

class Parser {
  private readonly lexer: Lexer;
  private readonly pending: Pending[] = [];
  // Finished subtrees, as parallel stacks: the node, its depth, and its
  // extent in the source (parentheses included, unlike the node's span).
  private readonly nodes: Expr[] = [];
  private readonly depths: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** The innermost operand on the subtree's longest path: where a depth error points. */
  private readonly deepest: At[] = [];

  constructor(
    private readonly source: string,
    private readonly maxDepth: number,
  ) {
    this.lexer = new Lexer(source);
  }

  /** input := expr EOF */
  parse(): Expr {
    this.lexer.advance();
    do this.operand();
    while (!this.operator());
    return this.nodes[0] as Expr;
  }

  /**
   * Expecting an operand: reads prefix operators and `(` until a number, a
   * name or a call arrives; leaves the lexer on the token after it.
   */
  private operand(): void {
    const lexer = this.lexer;
    for (;;) {
      const { type, start, end } = lexer;
      const prefix = UNARY_BY_KIND[lexer.kind];
      if (prefix !== undefined) {
        this.push(new Pending("unary", start, end, prefix, LEVEL.prefix));
      } else if (type === "LPAREN") {
        this.push(new Pending("paren", start, end));
      } else if (type === "NUMBER") {
        this.leaf({ kind: "number", value: lexer.value, start, end });
        lexer.advance();
        return;
      } else if (type === "IDENT") {
        if (!lexer.nextIsOpenParen()) {
          this.leaf({ kind: "identifier", name: this.source.slice(start, end), start, end });
          lexer.advance();
          return;
        }
        lexer.advance();
        this.push(new Pending("call", start, end, "", -1, this.at(), []));
        lexer.advance();
        if (lexer.type === "RPAREN") {
          this.closeCall(lexer.end);
          lexer.advance();
          return;
        }
        continue;
      } else {
        throw this.missingOperand();
      }
      lexer.advance();
    }
  }

  /**
   * Expecting an operator after a complete operand. Returns true at the end
   * of input, when everything pending has been applied.
   */
  private operator(): boolean {
    const lexer = this.lexer;
    for (;;) {
      const type = lexer.type;
      const binary = BINARY_BY_KIND[lexer.kind];
      if (binary !== undefined) this.binaryOperator(binary);
      else if (type === "QUESTION") this.question();
      else if (type === "COLON") this.colon();
      else if (type === "COMMA") this.comma();
      else if (type === "RPAREN") {
        // The group or call becomes an operand: still expecting an operator.
        this.closeBracket();
        lexer.advance();
        continue;
      } else if (type === "EOF") {
        this.finish();
        return true;
      } else throw this.trailing(type);
      lexer.advance();
      return false;
    }
  }

  /** A binary operator: apply what binds tighter, then wait for the right operand. */
  private binaryOperator(entry: BinaryEntry): void {
    const { op, level, assoc } = entry;
    const pending = this.pending;
    for (
      let top = pending[pending.length - 1];
      top !== undefined;
      top = pending[pending.length - 1]
    ) {
      const other = levelOf(top);
      if (other === undefined || other < level || (other === level && assoc === "right")) break;
      if (other === level && assoc === "none") {
        throw this.syntax(
          "comparison operators cannot be chained; use parentheses or &&",
          this.at(),
        );
      }
      pending.pop();
      this.reduce(top);
    }
    this.push(new Pending("binary", this.lexer.start, this.lexer.end, op, level));
  }

  /** `?` opens a branch: apply every operator (all bind tighter), then wait for the branch. */
  private question(): void {
    this.reduceOperators(false);
    this.push(new Pending("question", this.lexer.start, this.lexer.end));
  }

  /** `:` closes the branch of the nearest open `?`. */
  private colon(): void {
    this.reduceOperators(true);
    const top = this.pending[this.pending.length - 1];
    if (top?.kind !== "question") throw this.syntax("unexpected ':' (no '?' before it)", this.at());
    this.pending[this.pending.length - 1] = new Pending(
      "colon",
      top.start,
      top.end,
      "",
      LEVEL.conditional,
    );
  }

  /** `,` ends an argument of the innermost open call. */
  private comma(): void {
    const top = this.reduceToBracket();
    if (top?.kind !== "call")
      throw this.syntax("unexpected ',' outside a function call", this.at());
    this.takeArgument(top);
  }

  /** `)` closes the innermost group or call. */
  private closeBracket(): void {
    const top = this.reduceToBracket();
    const { start, end } = this.lexer;
    if (top === undefined) throw this.syntax("unmatched ')'", { start, end });
    if (top.kind === "call") {
      this.takeArgument(top);
      this.closeCall(end);
      return;
    }
    this.pending.pop();
    const i = this.nodes.length - 1;
    this.starts[i] = top.start;
    this.ends[i] = end;
    this.depths[i] = this.checkDepth((this.depths[i] as number) + 1, this.deepest[i] as At);
  }

  /** End of input: apply everything; an open bracket or `?` is an error. */
  private finish(): void {
    const top = this.reduceToBracket();
    if (top !== undefined) throw this.unclosed(top);
  }

  /**
   * Applies pending operators (and finished `?:`) down to the nearest
   * bracket, which it returns; a `?` still waiting for `:` is an error.
   */
  private reduceToBracket(): Pending | undefined {
    this.reduceOperators(true);
    const top = this.pending[this.pending.length - 1];
    if (top?.kind === "question") throw this.unclosed(top);
    return top;
  }

  /** Applies pending unary and binary operators, and `?:` too when `colons`. */
  private reduceOperators(colons: boolean): void {
    const pending = this.pending;
    for (
      let top = pending[pending.length - 1];
      top !== undefined;
      top = pending[pending.length - 1]
    ) {
      if (top.kind !== "unary" && top.kind !== "binary" && !(colons && top.kind === "colon"))
        return;
      pending.pop();
      this.reduce(top);
    }
  }

  /** Applies one pending operator to the operands on top of the stack. */
  private reduce(p: Pending): void {
    const { nodes, depths, starts, ends, deepest } = this;
    const last = nodes.length - 1;
    if (p.kind === "unary") {
      const operand = nodes[last] as Expr;
      nodes[last] = {
        kind: "unary",
        op: p.op as UnaryOp,
        operand,
        start: p.start,
        end: ends[last] as number,
      };
      starts[last] = p.start;
      depths[last] = this.checkDepth((depths[last] as number) + 1, deepest[last] as At);
    } else if (p.kind === "binary") {
      const start = starts[last - 1] as number;
      const end = ends[last] as number;
      const right = nodes.pop() as Expr;
      const left = nodes[last - 1] as Expr;
      const leftDepth = depths[last - 1] as number;
      const rightDepth = depths.pop() as number;
      const depth = maxOf(leftDepth, rightDepth) + 1;
      const rightDeepest = deepest.pop() as At;
      if (rightDepth > leftDepth) deepest[last - 1] = rightDeepest;
      starts.pop();
      ends.pop();
      nodes[last - 1] = {
        kind: "binary",
        op: p.op as BinaryOp,
        opStart: p.start,
        left,
        right,
        start,
        end,
      };
      ends[last - 1] = end;
      depths[last - 1] = this.checkDepth(depth, deepest[last - 1] as At);
    } else if (p.kind === "colon") {
      const start = starts[last - 2] as number;
      const end = ends[last] as number;
      const alternate = nodes.pop() as Expr;
      const consequent = nodes.pop() as Expr;
      const test = nodes[last - 2] as Expr;
      // The deepest of test, consequent and alternate (the first of equals).
      let pick = last - 2;
      for (const i of [last - 1, last])
        if ((depths[i] as number) > (depths[pick] as number)) pick = i;
      const depth = (depths[pick] as number) + 1;
      deepest[last - 2] = deepest[pick] as At;
      starts.length = ends.length = depths.length = deepest.length = last - 1;
      nodes[last - 2] = { kind: "conditional", test, consequent, alternate, start, end };
      ends[last - 2] = end;
      depths[last - 2] = this.checkDepth(depth, deepest[last - 2] as At);
    }
  }

  private takeArgument(call: Pending): void {
    const depth = this.depths.pop() as number;
    const deepest = this.deepest.pop() as At;
    this.starts.pop();
    this.ends.pop();
    call.args.push(this.nodes.pop() as Expr);
    if (depth > call.depth) {
      call.depth = depth;
      call.deepest = deepest;
    }
  }

  /** The call on top of the stack is complete (its `)` ends at `end`); it becomes an operand. */
  private closeCall(end: number): void {
    const call = this.pending.pop() as Pending;
    const callee = this.source.slice(call.start, call.end);
    this.leaf({ kind: "call", callee, nameEnd: call.end, args: call.args, start: call.start, end });
    const top = this.depths.length - 1;
    if (call.depth > 0) this.deepest[top] = call.deepest;
    this.depths[top] = this.checkDepth(call.depth + 1, this.deepest[top] as At);
  }

  private leaf(node: Expr): void {
    this.nodes.push(node);
    this.depths.push(1);
    this.starts.push(node.start);
    this.ends.push(node.end);
    this.deepest.push(node);
  }

  /** Pushes a pending operator; each will be an ancestor of what follows, so each counts toward depth. */
  private push(p: Pending): void {
    if (this.pending.length >= this.maxDepth) this.tooDeep(p);
    this.pending.push(p);
  }

  private checkDepth(depth: number, at: At): number {
    if (depth > this.maxDepth) this.tooDeep(at);
    return depth;
  }

  private tooDeep(at: At): never {
    throw new ExprLimitError(
      `expression is nested too deeply (the limit is ${plural(this.maxDepth, "level")})`,
      this.source,
      { offset: at.start, length: at.end - at.start },
    );
  }

  // --- messages ------------------------------------------------------------

  /** The current token's span. */
  private at(): At {
    return { start: this.lexer.start, end: this.lexer.end };
  }

  private text(at: At): string {
    return this.source.slice(at.start, at.end);
  }

  /** "line:column" of an opener, for messages that point back at it. */
  private where(at: At): string {
    const { line, column } = lineColumn(this.source, at.start);
    return `${line}:${column}`;
  }

  private found(): string {
    return describeToken(this.lexer.token(), this.source);
  }

  private syntax(message: string, at: At): ExprSyntaxError {
    return new ExprSyntaxError(message, this.source, {
      offset: at.start,
      length: at.end - at.start,
    });
  }

  /** An operand was expected at the current token; say after what. */
  private missingOperand(): ExprSyntaxError {
    const { previousStart, previousEnd, type } = this.lexer;
    const found = this.found();
    if (previousStart < 0) {
      return this.syntax(
        type === "EOF" ? "empty expression" : `expected an operand, found ${found}`,
        this.at(),
      );
    }
    const previous = this.source.slice(previousStart, previousEnd);
    return this.syntax(`expected an operand after '${previous}', found ${found}`, this.at());
  }

  /** A bracket or `?` still open at the current token. */
  private unclosed(open: Pending): ExprSyntaxError {
    const found = this.found();
    switch (open.kind) {
      case "question":
        return this.syntax(
          `expected ':' to go with the '?' at ${this.where(open)}, found ${found}`,
          this.at(),
        );
      case "call":
        return this.syntax(
          `expected ',' or ')' in the call of '${this.text(open)}' opened at ${this.where(open.open)}, found ${found}`,
          this.at(),
        );
      default:
        return this.syntax(
          `expected ')' to close the '(' at ${this.where(open)}, found ${found}`,
          this.at(),
        );
    }
  }

  /** Something follows a complete operand where an operator should be. */
  private trailing(type: TokenType): ExprSyntaxError {
    const found = this.found();
    if (type === "NUMBER" || type === "IDENT" || type === "LPAREN") {
      const bracket = this.pending.findLast((p) => p.kind === "call" || p.kind === "paren");
      if (bracket?.kind === "call") return this.unclosed(bracket);
      return this.syntax(
        `missing operator before ${found} (there is no implicit multiplication; write '*')`,
        this.at(),
      );
    }
    return this.syntax(`unexpected ${found} after a complete expression`, this.at());
  }
}

/** The level a pending operator binds at; brackets and an open `?` are never applied by a binary operator. */
function levelOf(p: Pending): number | undefined {
  return p.level === -1 ? undefined : p.level;
}
