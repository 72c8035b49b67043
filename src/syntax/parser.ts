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
 * past `maxDepth` the parser stops with an ExprLimitError.
 */

import { ExprLimitError, ExprSyntaxError, lineColumn } from "../errors.js";
import type { Expr } from "./ast.js";
import { tokenize } from "./lexer.js";
import {
  BINARY,
  BINARY_TOKENS,
  type BinaryOp,
  isComparison,
  LEVEL,
  UNARY_TOKENS,
  type UnaryOp,
} from "./operators.js";
import { describeToken, type Token } from "./token.js";

/** Limits on the input (LANGUAGE.md, "Limits"). */
export interface Limits {
  /** Longest source accepted, in UTF-16 units. Default 1,000,000. */
  readonly maxLength?: number;
  /** Deepest syntax tree accepted, in levels. Default 2,000. */
  readonly maxDepth?: number;
}

/** The default limits. */
export const DEFAULT_LIMITS = { maxLength: 1_000_000, maxDepth: 2_000 } as const;

/** Parses `source` into a syntax tree. Throws ExprError (syntax or limit). */
export function parseExpression(source: string, limits: Limits = {}): Expr {
  const maxLength = limits.maxLength ?? DEFAULT_LIMITS.maxLength;
  if (source.length > maxLength) {
    throw new ExprLimitError(
      `expression is too long: ${source.length} characters (the limit is ${maxLength})`,
      source,
      { offset: maxLength, length: source.length - maxLength },
    );
  }
  return new Parser(source, tokenize(source), limits.maxDepth ?? DEFAULT_LIMITS.maxDepth).parse();
}

/** A pending operator or an open bracket, waiting on the operator stack. */
type Pending =
  | { readonly kind: "unary"; readonly op: UnaryOp; readonly token: Token }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly token: Token }
  | { readonly kind: "paren"; readonly token: Token }
  | {
      readonly kind: "call";
      readonly token: Token;
      readonly open: Token;
      readonly args: Expr[];
      depth: number;
    }
  | { readonly kind: "question"; readonly token: Token }
  | { readonly kind: "colon"; readonly token: Token };

/** A finished subtree: the node, its depth, and its extent in the source (parentheses included). */
interface Operand {
  readonly node: Expr;
  readonly depth: number;
  readonly start: number;
  readonly end: number;
}

class Parser {
  private pos = 0;
  private readonly pending: Pending[] = [];
  private readonly operands: Operand[] = [];

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
    private readonly maxDepth: number,
  ) {}

  /** input := expr EOF */
  parse(): Expr {
    for (;;) {
      this.operand();
      if (this.operator()) break;
    }
    return (this.operands.pop() as Operand).node;
  }

  /**
   * Expecting an operand: reads prefix operators and `(` until a number, a
   * name or a call arrives.
   */
  private operand(): void {
    for (;;) {
      const token = this.next();
      const prefix = UNARY_TOKENS[token.type];
      if (prefix !== undefined) {
        this.push({ kind: "unary", op: prefix, token });
      } else if (token.type === "LPAREN") {
        this.push({ kind: "paren", token });
      } else if (token.type === "NUMBER") {
        this.leaf({ kind: "number", value: token.value, start: token.start, end: token.end });
        return;
      } else if (token.type === "IDENT") {
        if (this.peek().type !== "LPAREN") {
          const name = this.text(token);
          this.leaf({ kind: "identifier", name, start: token.start, end: token.end });
          return;
        }
        const open = this.next();
        this.push({ kind: "call", token, open, args: [], depth: 0 });
        if (this.peek().type === "RPAREN") {
          this.closeCall(this.next());
          return;
        }
      } else {
        throw this.missingOperand(token);
      }
    }
  }

  /**
   * Expecting an operator after a complete operand. Returns true at the end
   * of input, when everything pending has been applied.
   */
  private operator(): boolean {
    for (;;) {
      const token = this.next();
      const op = BINARY_TOKENS[token.type];
      if (op !== undefined) {
        this.binaryOperator(op, token);
        return false;
      }
      switch (token.type) {
        case "QUESTION":
          this.reduceWhile((p) => p.kind === "unary" || p.kind === "binary");
          this.push({ kind: "question", token });
          return false;
        case "COLON":
          this.colon(token);
          return false;
        case "COMMA":
          this.comma(token);
          return false;
        case "RPAREN":
          this.closeBracket(token);
          break; // the group or call is an operand: still expecting an operator
        case "EOF":
          this.finish(token);
          return true;
        default:
          throw this.trailing(token);
      }
    }
  }

  /** A binary operator: apply what binds tighter, then wait for the right operand. */
  private binaryOperator(op: BinaryOp, token: Token): void {
    const { level, assoc } = BINARY[op];
    this.reduceWhile((p) => {
      const other = levelOf(p);
      if (other === undefined) return false;
      if (other === level && assoc === "none" && p.kind === "binary" && isComparison(p.op)) {
        throw this.syntax("comparison operators cannot be chained; use parentheses or &&", token);
      }
      return other > level || (other === level && assoc === "left");
    });
    this.push({ kind: "binary", op, token });
  }

  /** `:` closes the branch of the nearest open `?`. */
  private colon(token: Token): void {
    this.reduceWhile((p) => p.kind === "unary" || p.kind === "binary" || p.kind === "colon");
    const top = this.pending[this.pending.length - 1];
    if (top?.kind !== "question") throw this.syntax(`unexpected ':' (no '?' before it)`, token);
    this.pending[this.pending.length - 1] = { kind: "colon", token: top.token };
  }

  /** `,` ends an argument of the innermost open call. */
  private comma(token: Token): void {
    this.reduceToBracket(token);
    const top = this.pending[this.pending.length - 1];
    if (top?.kind !== "call") throw this.syntax("unexpected ',' outside a function call", token);
    this.takeArgument(top);
  }

  /** `)` closes the innermost group or call. */
  private closeBracket(token: Token): void {
    this.reduceToBracket(token);
    const top = this.pending[this.pending.length - 1];
    if (top === undefined) throw this.syntax("unmatched ')'", token);
    if (top.kind === "call") {
      this.takeArgument(top);
      this.closeCall(token);
      return;
    }
    this.pending.pop();
    const inner = this.operands.pop() as Operand;
    this.operands.push(
      this.checked(
        { ...inner, depth: inner.depth + 1, start: top.token.start, end: token.end },
        token,
      ),
    );
  }

  /** End of input: apply everything; an open bracket or `?` is an error. */
  private finish(token: Token): void {
    this.reduceToBracket(token);
    const top = this.pending[this.pending.length - 1];
    if (top !== undefined) throw this.unclosed(top, token);
  }

  /** Applies pending operators down to the nearest bracket; a `?` without `:` there is an error. */
  private reduceToBracket(token: Token): void {
    this.reduceWhile((p) => p.kind === "unary" || p.kind === "binary" || p.kind === "colon");
    const top = this.pending[this.pending.length - 1];
    if (top?.kind === "question") throw this.unclosed(top, token);
  }

  private reduceWhile(test: (p: Pending) => boolean): void {
    for (let top = this.pending.at(-1); top !== undefined && test(top); top = this.pending.at(-1)) {
      this.pending.pop();
      this.reduce(top);
    }
  }

  /** Applies one pending operator to the operands on top of the stack. */
  private reduce(p: Pending): void {
    const operands = this.operands;
    if (p.kind === "unary") {
      const operand = operands.pop() as Operand;
      const node: Expr = {
        kind: "unary",
        op: p.op,
        operand: operand.node,
        start: p.token.start,
        end: operand.end,
      };
      operands.push(
        this.checked({ node, depth: operand.depth + 1, start: node.start, end: node.end }, p.token),
      );
    } else if (p.kind === "binary") {
      const right = operands.pop() as Operand;
      const left = operands.pop() as Operand;
      const node: Expr = {
        kind: "binary",
        op: p.op,
        opStart: p.token.start,
        left: left.node,
        right: right.node,
        start: left.start,
        end: right.end,
      };
      const depth = Math.max(left.depth, right.depth) + 1;
      operands.push(this.checked({ node, depth, start: left.start, end: right.end }, p.token));
    } else if (p.kind === "colon") {
      const alternate = operands.pop() as Operand;
      const consequent = operands.pop() as Operand;
      const test = operands.pop() as Operand;
      const node: Expr = {
        kind: "conditional",
        test: test.node,
        consequent: consequent.node,
        alternate: alternate.node,
        start: test.start,
        end: alternate.end,
      };
      const depth = Math.max(test.depth, consequent.depth, alternate.depth) + 1;
      operands.push(this.checked({ node, depth, start: test.start, end: alternate.end }, p.token));
    }
  }

  private takeArgument(call: Extract<Pending, { kind: "call" }>): void {
    const arg = this.operands.pop() as Operand;
    call.args.push(arg.node);
    if (arg.depth > call.depth) call.depth = arg.depth;
  }

  /** The call on top of the stack is complete; it becomes an operand. */
  private closeCall(close: Token): void {
    const call = this.pending.pop() as Extract<Pending, { kind: "call" }>;
    const { token, args } = call;
    const node: Expr = {
      kind: "call",
      callee: this.text(token),
      nameEnd: token.end,
      args,
      start: token.start,
      end: close.end,
    };
    this.operands.push(
      this.checked({ node, depth: call.depth + 1, start: token.start, end: close.end }, token),
    );
  }

  private leaf(node: Expr): void {
    this.operands.push({ node, depth: 1, start: node.start, end: node.end });
  }

  /** Pushes a pending operator; every one will be an ancestor of what follows, so it counts toward depth. */
  private push(p: Pending): void {
    if (this.pending.length >= this.maxDepth) this.tooDeep(p.token);
    this.pending.push(p);
  }

  private checked(operand: Operand, token: Token): Operand {
    if (operand.depth > this.maxDepth) this.tooDeep(token);
    return operand;
  }

  private tooDeep(token: Token): never {
    throw new ExprLimitError(
      `expression is nested too deeply (the limit is ${this.maxDepth} levels)`,
      this.source,
      { offset: token.start, length: token.end - token.start },
    );
  }

  // --- tokens and messages -------------------------------------------------

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const token = this.tokens[this.pos] as Token;
    if (token.type !== "EOF") this.pos++;
    return token;
  }

  private text(token: Token): string {
    return this.source.slice(token.start, token.end);
  }

  /** "line:column" of a token, for messages that point back at an opener. */
  private where(token: Token): string {
    const { line, column } = lineColumn(this.source, token.start);
    return `${line}:${column}`;
  }

  private syntax(message: string, token: Token): ExprSyntaxError {
    return new ExprSyntaxError(message, this.source, {
      offset: token.start,
      length: token.end - token.start,
    });
  }

  /** An operand was expected at `token`; say after what. */
  private missingOperand(token: Token): ExprSyntaxError {
    const found = describeToken(token, this.source);
    const index = token.type === "EOF" ? this.pos - 1 : this.pos - 2;
    const previous = this.tokens[index];
    if (previous === undefined) {
      return this.syntax(
        token.type === "EOF" ? "empty expression" : `expected an operand, found ${found}`,
        token,
      );
    }
    return this.syntax(`expected an operand after '${this.text(previous)}', found ${found}`, token);
  }

  /** A bracket or `?` still open at `token`. */
  private unclosed(open: Pending, token: Token): ExprSyntaxError {
    const found = describeToken(token, this.source);
    switch (open.kind) {
      case "question":
        return this.syntax(
          `expected ':' to go with the '?' at ${this.where(open.token)}, found ${found}`,
          token,
        );
      case "call":
        return this.syntax(
          `expected ',' or ')' in the call of '${this.text(open.token)}' opened at ${this.where(open.open)}, found ${found}`,
          token,
        );
      default:
        return this.syntax(
          `expected ')' to close the '(' at ${this.where(open.token)}, found ${found}`,
          token,
        );
    }
  }

  /** Something follows a complete operand where an operator should be. */
  private trailing(token: Token): ExprSyntaxError {
    const found = describeToken(token, this.source);
    if (token.type === "NUMBER" || token.type === "IDENT" || token.type === "LPAREN") {
      const bracket = this.pending.findLast((p) => p.kind === "call" || p.kind === "paren");
      if (bracket?.kind === "call") return this.unclosed(bracket, token);
      return this.syntax(
        `missing operator before ${found} (there is no implicit multiplication; write '*')`,
        token,
      );
    }
    return this.syntax(`unexpected ${found} after a complete expression`, token);
  }
}

/** The level a pending operator binds at; brackets and `?`/`:` are never applied by a binary operator. */
function levelOf(p: Pending): number | undefined {
  if (p.kind === "unary") return LEVEL.prefix;
  if (p.kind === "binary") return BINARY[p.op].level;
  if (p.kind === "colon") return LEVEL.conditional;
  return undefined;
}
