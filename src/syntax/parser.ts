/**
 * The parser: tokens → a tree, driven by THE precedence table in
 * operators.ts. What tree is the builder's choice (builder.ts): the syntax
 * tree, or the resolved Program directly.
 *
 * It is an operator-precedence parser with explicit stacks (Dijkstra's
 * shunting-yard, extended with prefix operators, calls and `?:`) rather
 * than recursive descent: with no recursion, no input can overflow the
 * host's stack, whatever its nesting. It alternates between two states:
 * expecting an operand (a number, a name, a call, a prefix operator or `(`)
 * and expecting an operator (a binary operator, `?`, `:`, `,`, `)` or the
 * end). Pending operators wait on one stack, finished subtrees (and the
 * arguments of an open call) on another; an operator is applied
 * ("reduced") as soon as a looser one arrives.
 *
 * The grammar it accepts (LANGUAGE.md):
 *   program := { IDENT "=" expr ";" } expr    (v3: bindings, then the result)
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
 * limit is passed only once the tree is complete. Each binding's value and
 * the result are counted on their own: the stacks are empty between parts.
 */

import { ExprLimitError, ExprSyntaxError } from "../errors.js";
import { checkLimits, type Limits } from "../limits.js";
import { lineColumn } from "../text/lines.js";
import { plural } from "../text/plural.js";
import type { SourceRange } from "../text/range.js";
import type { Expr, ProgramSyntax } from "./ast.js";
import { SyntaxTreeBuilder, type TreeBuilder } from "./builder.js";
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

/**
 * Parses `source`, a program (bindings, then its result), into its syntax
 * tree. Throws ExprError (syntax or limit).
 */
export function parseSyntax(source: string, limits: Limits | null = {}): ProgramSyntax {
  const builder = new SyntaxTreeBuilder();
  const result = parseWith(source, limits, builder);
  return { kind: "program", bindings: builder.bindings, result };
}

/**
 * Parses `source`, a single expression without bindings, into its syntax
 * tree. Throws ExprError (syntax or limit; a binding is a syntax error).
 */
export function parseExpression(source: string, limits: Limits | null = {}): Expr {
  const program = parseSyntax(source, limits);
  const first = program.bindings[0];
  if (first !== undefined) {
    throw new ExprSyntaxError("expected one expression, without bindings", source, {
      offset: first.start,
      length: first.nameEnd - first.start,
    });
  }
  return program.result;
}

/**
 * Parses `source`, reporting each node to `builder`; returns what the
 * builder made of the whole. Throws ExprError (syntax or limit), and
 * whatever the builder throws.
 */
export function parseWith<N>(source: string, limits: Limits | null, builder: TreeBuilder<N>): N {
  const { maxLength, maxDepth } = checkLimits(limits, source);
  if (source.length > maxLength) {
    throw new ExprLimitError(
      `expression is too long: ${source.length} characters (the limit is ${maxLength})`,
      source,
      { offset: maxLength, length: source.length - maxLength },
    );
  }
  return new Parser(source, maxDepth, builder).parse();
}

/** Where a token stood: enough to point an error at it. */
type At = SourceRange;

/**
 * A pending operator or an open bracket, waiting on the operator stack.
 *
 * Every entry has every field, so V8 sees one object shape: a stack of six
 * differently shaped entries made each access megamorphic, several times
 * slower. Positions are plain numbers, so pushing an operator allocates
 * this one object and nothing more.
 */
class Pending implements At {
  /** A call's `(`. */
  openStart = 0;
  openEnd = 0;
  /**
   * A call's first argument is entry `base` of the subtree stacks: its
   * arguments wait there, one entry each, until its `)`.
   */
  base = 0;

  constructor(
    readonly kind: "unary" | "binary" | "paren" | "call" | "question" | "colon",
    readonly start: number,
    readonly end: number,
    /** The operator, for unary and binary entries. */
    readonly op: BinaryOp | UnaryOp | "" = "",
    /** The level it binds at when a binary operator arrives; -1 if it is never applied then. */
    readonly level: number = -1,
  ) {}
}

class Parser<N> {
  private readonly lexer: Lexer;
  private readonly pending: Pending[] = [];
  // Finished subtrees, as parallel stacks of the same height: what the
  // builder made, its depth, and its extent in the source (parentheses
  // included, unlike the node's span). Parallel stacks of numbers rather
  // than one stack of records, so finishing a subtree allocates nothing.
  private readonly nodes: N[] = [];
  private readonly depths: number[] = [];
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** The span of the innermost operand on the subtree's longest path: where a depth error points. */
  private readonly deepestStarts: number[] = [];
  private readonly deepestEnds: number[] = [];

  constructor(
    private readonly source: string,
    private readonly maxDepth: number,
    private readonly builder: TreeBuilder<N>,
  ) {
    this.lexer = new Lexer(source);
  }

  /** program := { IDENT "=" expr ";" } expr EOF */
  parse(): N {
    const lexer = this.lexer;
    lexer.advance();
    let bindings = 0;
    for (;;) {
      // A part that starts `name =` (not `==`) is a binding.
      let nameStart = -1;
      let nameEnd = -1;
      if (lexer.type === "IDENT" && lexer.nextIsBindingEquals()) {
        nameStart = lexer.start;
        nameEnd = lexer.end;
        lexer.advance();
        lexer.advance();
      } else if (lexer.type === "EOF" && bindings > 0) {
        throw this.syntax("expected the result after the last binding", this.at());
      }
      this.binding = nameStart;
      do this.operand();
      while (!this.operator());
      const value = this.nodes[0] as N;
      if (lexer.type === "EOF") {
        if (nameStart !== -1) {
          const name = this.source.slice(nameStart, nameEnd);
          throw this.syntax(
            `expected ';' after the binding of '${name}', then the result`,
            this.at(),
          );
        }
        return value;
      }
      // A `;`: only a binding ends with one.
      if (nameStart === -1) throw this.syntax("nothing may follow the result", this.at());
      this.popTo(-1);
      const name = this.source.slice(nameStart, nameEnd);
      this.builder.binding(name, nameStart, nameEnd, value, lexer.end);
      bindings++;
      lexer.advance();
    }
  }

  /** Where the name of the binding being parsed starts; -1 while parsing the result. */
  private binding = -1;

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
        this.leaf(this.builder.number(lexer.value, start, end), start, end);
        lexer.advance();
        return;
      } else if (type === "IDENT") {
        if (!lexer.nextIsOpenParen()) {
          this.leaf(this.builder.name(this.source.slice(start, end), start, end), start, end);
          lexer.advance();
          return;
        }
        lexer.advance();
        const call = new Pending("call", start, end);
        call.openStart = lexer.start;
        call.openEnd = lexer.end;
        call.base = this.nodes.length;
        this.push(call);
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
      } else if (type === "EOF" || type === "SEMICOLON") {
        this.finish();
        return true;
      } else if (type === "EQ") {
        throw this.misplacedEquals();
      } else throw this.trailing(type);
      lexer.advance();
      return false;
    }
  }

  /** A binary operator: apply what binds tighter, then wait for the right operand. */
  private binaryOperator(entry: BinaryEntry): void {
    const { op, level, assoc } = entry;
    const pending = this.pending;
    for (let top = this.top(); top !== undefined; top = this.top()) {
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
    const top = this.top();
    if (top?.kind !== "question") throw this.syntax("unexpected ':' (no '?' before it)", this.at());
    this.pending[this.pending.length - 1] = new Pending(
      "colon",
      top.start,
      top.end,
      "",
      LEVEL.conditional,
    );
  }

  /** `,` ends an argument of the innermost open call (it stays on the stacks until `)`). */
  private comma(): void {
    const top = this.reduceToBracket();
    if (top?.kind !== "call")
      throw this.syntax("unexpected ',' outside a function call", this.at());
  }

  /** `)` closes the innermost group or call. */
  private closeBracket(): void {
    const top = this.reduceToBracket();
    const { start, end } = this.lexer;
    if (top === undefined) throw this.syntax("unmatched ')'", { start, end });
    if (top.kind === "call") {
      this.closeCall(end);
      return;
    }
    this.pending.pop();
    const i = this.nodes.length - 1;
    this.starts[i] = top.start;
    this.ends[i] = end;
    this.depths[i] = this.checkDepth((this.depths[i] as number) + 1, i);
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
    const top = this.top();
    if (top?.kind === "question") throw this.unclosed(top);
    return top;
  }

  /** Applies pending unary and binary operators, and `?:` too when `colons`. */
  private reduceOperators(colons: boolean): void {
    const pending = this.pending;
    for (let top = this.top(); top !== undefined; top = this.top()) {
      if (top.kind !== "unary" && top.kind !== "binary" && !(colons && top.kind === "colon"))
        return;
      pending.pop();
      this.reduce(top);
    }
  }

  /**
   * The entry on top of the operator stack, if any. The length is tested
   * first: `pending[-1]` on an empty stack is not an array read for V8 but
   * a lookup of a property named "-1", up the prototype chain, many times
   * slower, and every expression ends on an empty stack.
   */
  private top(): Pending | undefined {
    const pending = this.pending;
    return pending.length === 0 ? undefined : pending[pending.length - 1];
  }

  /** Applies one pending operator to the operands on top of the stack. */
  private reduce(p: Pending): void {
    const { nodes, depths, starts, ends, builder } = this;
    const last = nodes.length - 1;
    if (p.kind === "unary") {
      depths[last] = this.checkDepth((depths[last] as number) + 1, last);
      starts[last] = p.start;
      nodes[last] = builder.unary(p.op as UnaryOp, nodes[last] as N, p.start, ends[last] as number);
    } else if (p.kind === "binary") {
      const left = last - 1;
      const start = starts[left] as number;
      const end = ends[last] as number;
      const leftDepth = depths[left] as number;
      const rightDepth = depths[last] as number;
      if (rightDepth > leftDepth) this.takeDeepest(left, last);
      const right = nodes[last] as N;
      this.popTo(left);
      ends[left] = end;
      depths[left] = this.checkDepth(maxOf(leftDepth, rightDepth) + 1, left);
      const op = p.op as BinaryOp;
      nodes[left] = builder.binary(op, p.start, nodes[left] as N, right, start, end);
    } else if (p.kind === "colon") {
      const test = last - 2;
      const start = starts[test] as number;
      const end = ends[last] as number;
      // The deepest of test, consequent and alternate (the first of equals).
      let pick = test;
      if ((depths[last - 1] as number) > (depths[pick] as number)) pick = last - 1;
      if ((depths[last] as number) > (depths[pick] as number)) pick = last;
      this.takeDeepest(test, pick);
      const depth = (depths[pick] as number) + 1;
      const consequent = nodes[last - 1] as N;
      const alternate = nodes[last] as N;
      this.popTo(test);
      ends[test] = end;
      depths[test] = this.checkDepth(depth, test);
      nodes[test] = builder.conditional(nodes[test] as N, consequent, alternate, start, end);
    }
  }

  /** Entry `to` of the subtree stacks takes the deepest operand of entry `from`. */
  private takeDeepest(to: number, from: number): void {
    this.deepestStarts[to] = this.deepestStarts[from] as number;
    this.deepestEnds[to] = this.deepestEnds[from] as number;
  }

  /**
   * Drops the entries of the subtree stacks above `top` (at most two).
   * By pop(): V8 shrinks an array faster that way than by setting `length`.
   */
  private popTo(top: number): void {
    while (this.nodes.length > top + 1) {
      this.nodes.pop();
      this.depths.pop();
      this.starts.pop();
      this.ends.pop();
      this.deepestStarts.pop();
      this.deepestEnds.pop();
    }
  }

  /**
   * The call on top of the operator stack is complete (its `)` ends at
   * `end`): its arguments, the entries from its `base` up, become one operand.
   */
  private closeCall(end: number): void {
    const { start, end: nameEnd, base } = this.pending.pop() as Pending;
    const { nodes, depths } = this;
    // The deepest argument (the first of equals) decides the call's depth
    // and where a depth error points; with none, the call is a leaf.
    let deepest = -1;
    for (let i = base; i < nodes.length; i++) {
      if (deepest === -1 || (depths[i] as number) > (depths[deepest] as number)) deepest = i;
    }
    let depth = 1;
    let deepestStart = start;
    let deepestEnd = end;
    if (deepest !== -1) {
      depth = (depths[deepest] as number) + 1;
      deepestStart = this.deepestStarts[deepest] as number;
      deepestEnd = this.deepestEnds[deepest] as number;
    }
    // A copy of exactly the arguments: the tree keeps this array, and one
    // grown by push() would keep room for 17 arguments where most calls have 1.
    const args = nodes.slice(base);
    this.popTo(base - 1);
    this.leafSpan(start, end);
    const top = base;
    this.deepestStarts[top] = deepestStart;
    this.deepestEnds[top] = deepestEnd;
    this.depths[top] = this.checkDepth(depth, top);
    const callee = this.source.slice(start, nameEnd);
    nodes.push(this.builder.call(callee, nameEnd, args, start, end));
  }

  /** A finished operand of depth 1 spanning `[start, end)`. */
  private leaf(node: N, start: number, end: number): void {
    this.leafSpan(start, end);
    this.nodes.push(node);
  }

  /** Pushes the depth and spans of an operand of depth 1 (all stacks but `nodes`). */
  private leafSpan(start: number, end: number): void {
    this.depths.push(1);
    this.starts.push(start);
    this.ends.push(end);
    this.deepestStarts.push(start);
    this.deepestEnds.push(end);
  }

  /** Pushes a pending operator; each will be an ancestor of what follows, so each counts toward depth. */
  private push(p: Pending): void {
    if (this.pending.length >= this.maxDepth) this.tooDeep(p.start, p.end);
    this.pending.push(p);
  }

  /** `depth`, if within the limit; else the limit error, pointing at the deepest operand of subtree `i`. */
  private checkDepth(depth: number, i: number): number {
    if (depth > this.maxDepth) {
      this.tooDeep(this.deepestStarts[i] as number, this.deepestEnds[i] as number);
    }
    return depth;
  }

  private tooDeep(start: number, end: number): never {
    throw new ExprLimitError(
      `expression is nested too deeply (the limit is ${plural(this.maxDepth, "level")})`,
      this.source,
      { offset: start, length: end - start },
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

  /**
   * A `=` after an operand. At the top of a part that is not yet a binding,
   * what stands before it is what cannot be bound (`1 = 2`, `a + b = 2`);
   * anywhere else (`x = y = 2`, `(x = 2)`) the `=` itself is out of place.
   */
  private misplacedEquals(): ExprSyntaxError {
    this.reduceOperators(true);
    if (this.binding === -1 && this.pending.length === 0 && this.nodes.length === 1) {
      const start = this.starts[0] as number;
      return this.syntax("only a name can be bound", { start, end: this.ends[0] as number });
    }
    return this.syntax(
      "unexpected '='; comparison is '==', and a binding 'name = value;' starts a part of the program",
      this.at(),
    );
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
          `expected ',' or ')' in the call of '${this.text(open)}' opened at ${this.where({ start: open.openStart, end: open.openEnd })}, found ${found}`,
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
