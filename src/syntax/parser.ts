/**
 * The parser: tokens → syntax tree. Precedence climbing over THE table in
 * operators.ts; one function per grammar rule, each headed by its rule.
 *
 * Recursion is bounded: every construct that nests (parentheses, calls,
 * prefix operators, `^`, `?:`, and each link of a left-leaning chain such
 * as a long sum) counts one level, and past `maxDepth` levels the parser
 * stops with an ExprLimitError long before the host's stack runs out.
 */

import { ExprLimitError, ExprSyntaxError, lineColumn } from "../errors.js";
import type { Expr } from "./ast.js";
import { tokenize } from "./lexer.js";
import { BINARY, BINARY_TOKENS, isComparison, LEVEL, UNARY_TOKENS } from "./operators.js";
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

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
    private readonly maxDepth: number,
  ) {}

  /** input := expr EOF */
  parse(): Expr {
    const expr = this.expression();
    const next = this.peek();
    if (next.type !== "EOF") throw this.trailing(next);
    return expr;
  }

  /** expr := cond ;  cond := or [ "?" expr ":" cond ]  (right-associative; the chain is a loop) */
  private expression(): Expr {
    const first = this.binary(LEVEL.or);
    if (this.peek().type !== "QUESTION") return first;
    const tests: Expr[] = [];
    const branches: Expr[] = [];
    let test = first;
    let levels = 0;
    while (this.peek().type === "QUESTION") {
      const question = this.next();
      this.enter();
      levels++;
      tests.push(test);
      branches.push(this.expression());
      this.expect("COLON", () => `expected ':' to go with the '?' at ${this.where(question)}`);
      test = this.binary(LEVEL.or);
    }
    let result = test;
    for (let i = tests.length - 1; i >= 0; i--) {
      const t = tests[i] as Expr;
      result = {
        kind: "conditional",
        test: t,
        consequent: branches[i] as Expr,
        alternate: result,
        start: t.start,
        end: this.lastEnd(),
      };
    }
    this.depth -= levels;
    return result;
  }

  /**
   * or := and { "||" and } ; and := cmp { "&&" cmp } ;
   * cmp := sum [ cmpop sum ] (not associative) ; sum := prod { ("+"|"-") prod } ;
   * prod := unary { ("*"|"/"|"%") unary }
   */
  private binary(minLevel: number): Expr {
    const start = this.peek().start;
    let left = this.unary();
    let links = 0;
    for (;;) {
      const token = this.peek();
      const op = BINARY_TOKENS[token.type];
      if (op === undefined) break;
      const { level } = BINARY[op];
      if (level < minLevel || level >= LEVEL.prefix) break;
      this.pos++;
      this.enter();
      links++;
      const right = this.binary(level + 1);
      left = { kind: "binary", op, opStart: token.start, left, right, start, end: this.lastEnd() };
      if (isComparison(op)) {
        const after = this.peek();
        const again = BINARY_TOKENS[after.type];
        if (again !== undefined && isComparison(again)) {
          throw this.syntax("comparison operators cannot be chained; use parentheses or &&", after);
        }
      }
    }
    this.depth -= links;
    return left;
  }

  /** unary := ("-"|"+"|"!") unary | power   (the prefix run is a loop) */
  private unary(): Expr {
    const op = UNARY_TOKENS[this.peek().type];
    if (op === undefined) return this.power();
    const prefixes: Token[] = [];
    while (UNARY_TOKENS[this.peek().type] !== undefined) {
      prefixes.push(this.next());
      this.enter();
    }
    let expr = this.power();
    const end = this.lastEnd();
    for (let i = prefixes.length - 1; i >= 0; i--) {
      const token = prefixes[i] as Token;
      const prefix = UNARY_TOKENS[token.type] as NonNullable<typeof op>;
      expr = { kind: "unary", op: prefix, operand: expr, start: token.start, end };
    }
    this.depth -= prefixes.length;
    return expr;
  }

  /** power := primary [ ("^"|"**") unary ]   (right-associative) */
  private power(): Expr {
    const base = this.primary();
    const token = this.peek();
    if (token.type !== "CARET" && token.type !== "STAR_STAR") return base;
    this.pos++;
    this.enter();
    const exponent = this.unary();
    this.depth--;
    return {
      kind: "binary",
      op: "^",
      opStart: token.start,
      left: base,
      right: exponent,
      start: base.start,
      end: this.lastEnd(),
    };
  }

  /** primary := NUMBER | IDENT | IDENT "(" [ expr { "," expr } ] ")" | "(" expr ")" */
  private primary(): Expr {
    const token = this.next();
    switch (token.type) {
      case "NUMBER":
        return { kind: "number", value: token.value, start: token.start, end: token.end };
      case "IDENT":
        if (this.peek().type === "LPAREN") return this.call(token);
        return {
          kind: "identifier",
          name: this.text(token),
          start: token.start,
          end: token.end,
        };
      case "LPAREN": {
        this.enter();
        const inner = this.expression();
        this.expect("RPAREN", () => `expected ')' to close the '(' at ${this.where(token)}`);
        this.depth--;
        return inner;
      }
      default:
        if (token.type !== "EOF") this.pos--;
        throw this.missingOperand(token);
    }
  }

  /** IDENT "(" [ expr { "," expr } ] ")" */
  private call(name: Token): Expr {
    const open = this.next();
    this.enter();
    const args: Expr[] = [];
    if (this.peek().type !== "RPAREN") {
      for (;;) {
        args.push(this.expression());
        if (this.peek().type !== "COMMA") break;
        this.pos++;
      }
    }
    const callee = this.text(name);
    this.expect(
      "RPAREN",
      () => `expected ',' or ')' in the call of '${callee}' opened at ${this.where(open)}`,
    );
    this.depth--;
    return {
      kind: "call",
      callee,
      nameEnd: name.end,
      args,
      start: name.start,
      end: this.lastEnd(),
    };
  }

  // --- helpers -------------------------------------------------------------

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const token = this.tokens[this.pos] as Token;
    if (token.type !== "EOF") this.pos++;
    return token;
  }

  private lastEnd(): number {
    return (this.tokens[this.pos - 1] as Token).end;
  }

  private text(token: Token): string {
    return this.source.slice(token.start, token.end);
  }

  /** One level deeper; past the limit, stop. */
  private enter(): void {
    if (++this.depth > this.maxDepth) {
      const token = this.tokens[this.pos - 1] as Token;
      throw new ExprLimitError(
        `expression is nested too deeply (the limit is ${this.maxDepth} levels)`,
        this.source,
        { offset: token.start, length: token.end - token.start },
      );
    }
  }

  private expect(type: Token["type"], message: () => string): void {
    const token = this.peek();
    if (token.type !== type) {
      throw this.syntax(`${message()}, found ${describeToken(token, this.source)}`, token);
    }
    this.pos++;
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
    const previous = this.tokens[this.pos - 1];
    if (previous === undefined) {
      return this.syntax(
        token.type === "EOF" ? "empty expression" : `expected an operand, found ${found}`,
        token,
      );
    }
    return this.syntax(`expected an operand after '${this.text(previous)}', found ${found}`, token);
  }

  /** Something follows a complete expression. */
  private trailing(token: Token): ExprSyntaxError {
    const found = describeToken(token, this.source);
    switch (token.type) {
      case "RPAREN":
        return this.syntax("unmatched ')'", token);
      case "NUMBER":
      case "IDENT":
      case "LPAREN":
        return this.syntax(
          `missing operator before ${found} (there is no implicit multiplication; write '*')`,
          token,
        );
      default:
        return this.syntax(`unexpected ${found} after a complete expression`, token);
    }
  }
}
