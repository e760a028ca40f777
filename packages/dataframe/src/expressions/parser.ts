// The grammar, parsed by precedence climbing (lowest first):
//   expr        := logical ( "?" expr ":" expr )?
//   logical     := binary operators by precedence: ?? < || < && < == != === !== < < <= > >= < + - < * / % < **
//   unary       := ( "!" | "-" | "+" ) unary | power
//   power       := primary ( "**" unary )?            (right-associative; "-2 ** 2" is refused, as in JS)
//   primary     := number | string | true | false | null | "(" expr ")"
//                | "d" "." name | "d" "[" string "]"
//                | "op" "." name "(" ( expr ( "," expr )* )? ")"     (name in the whitelist, ops.ts)
// Nothing else: no other names, no member access but on d, no calls but op.*, no functions, no
// assignments, no template literals, no regular expression literals. Length and depth are bounded.
import type { BinaryOp, Expr, LogicalOp } from './ast.js';
import { ExpressionError, type Token, tokenize } from './lexer.js';
import { OPS } from './ops.js';
import { compilePattern } from './regex.js';

/** The longest expression accepted, in characters. */
export const MAX_EXPRESSION_LENGTH = 10_000;
/** The deepest nesting accepted (parentheses, operators, calls). */
export const MAX_DEPTH = 200;

/** Column names refused in `d.name` / `d["name"]`: they name JavaScript object internals. */
const FORBIDDEN_COLUMNS = new Set(['__proto__', 'constructor', 'prototype']);

// Binding power of each binary operator; higher binds tighter.
const BINARY: Record<string, number> = {
  '??': 1,
  '||': 2,
  '&&': 3,
  '==': 4,
  '!=': 4,
  '===': 4,
  '!==': 4,
  '<': 5,
  '<=': 5,
  '>': 5,
  '>=': 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '%': 7,
};

const LOGICAL = new Set(['&&', '||', '??']);

function describe(token: Token): string {
  return token.type === 'end' ? 'the end of the expression' : JSON.stringify(token.text);
}

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index += 1;
    return token;
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.type === 'punct' && token.value === value;
  }

  private expect(value: string, what: string): Token {
    const token = this.peek();
    if (token.type !== 'punct' || token.value !== value) this.fail(token, what);
    return this.next();
  }

  private fail(token: Token, expected: string): never {
    throw new ExpressionError(token.pos, `expected ${expected} but found ${describe(token)}`);
  }

  private enter(token: Token): void {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) throw new ExpressionError(token.pos, `the expression nests deeper than ${MAX_DEPTH}`);
  }

  parseAll(): Expr {
    const expr = this.expression();
    const rest = this.peek();
    if (rest.type !== 'end') this.fail(rest, 'an operator or the end of the expression');
    return expr;
  }

  private expression(): Expr {
    const start = this.peek();
    this.enter(start);
    const test = this.binary(0);
    let result = test;
    if (this.isPunct('?')) {
      this.next();
      const then = this.expression();
      this.expect(':', '":" of the conditional a ? b : c');
      const otherwise = this.expression();
      result = { kind: 'conditional', test, then, otherwise, pos: start.pos };
    }
    this.depth -= 1;
    return result;
  }

  private binary(minPower: number): Expr {
    let left = this.unary();
    // Each operator of a chain (a + b + c) adds a level to the tree, as nesting does: both are bounded.
    const depth = this.depth;
    for (;;) {
      const token = this.peek();
      const power = token.type === 'punct' ? BINARY[token.value] : undefined;
      if (power === undefined || power <= minPower) {
        this.depth = depth;
        return left;
      }
      this.next();
      this.enter(token);
      const right = this.binary(power);
      const op = String(token.value);
      left = LOGICAL.has(op)
        ? { kind: 'logical', op: op as LogicalOp, left, right, pos: token.pos }
        : { kind: 'binary', op: op as BinaryOp, left, right, pos: token.pos };
    }
  }

  private unary(allowPower = true): Expr {
    const token = this.peek();
    if (token.type === 'punct' && (token.value === '!' || token.value === '-' || token.value === '+')) {
      this.next();
      this.enter(token);
      const arg = this.unary(false);
      this.depth -= 1;
      if (this.isPunct('**')) {
        throw new ExpressionError(this.peek().pos, 'put the unary expression before ** in parentheses');
      }
      return { kind: 'unary', op: token.value, arg, pos: token.pos };
    }
    return allowPower ? this.power() : this.primary();
  }

  private power(): Expr {
    const base = this.primary();
    if (!this.isPunct('**')) return base;
    const token = this.next();
    this.enter(token);
    const exponent = this.unary();
    this.depth -= 1;
    return { kind: 'binary', op: '**', left: base, right: exponent, pos: token.pos };
  }

  private primary(): Expr {
    const token = this.next();
    switch (token.type) {
      case 'number':
        return { kind: 'literal', value: token.value, pos: token.pos };
      case 'string':
        return { kind: 'literal', value: token.value, pos: token.pos };
      case 'name':
        return this.named(token);
      case 'punct':
        if (token.value === '(') {
          const inner = this.expression();
          this.expect(')', '")"');
          return inner;
        }
        break;
    }
    return this.fail(
      token,
      'a value: d.column, d["column"], op.function(...), a number, a string, true, false, null or (',
    );
  }

  private named(token: Token): Expr {
    switch (token.value) {
      case 'true':
        return { kind: 'literal', value: true, pos: token.pos };
      case 'false':
        return { kind: 'literal', value: false, pos: token.pos };
      case 'null':
        return { kind: 'literal', value: null, pos: token.pos };
      case 'd':
        return this.column(token);
      case 'op':
        return this.call(token);
    }
    throw new ExpressionError(
      token.pos,
      `unknown name ${JSON.stringify(token.value)}: expected d.column, d["column"], op.function(...), a literal or (`,
    );
  }

  private column(d: Token): Expr {
    let key: Token;
    if (this.isPunct('.')) {
      this.next();
      key = this.next();
      if (key.type !== 'name') this.fail(key, 'a column name after "d."');
    } else if (this.isPunct('[')) {
      this.next();
      key = this.next();
      if (key.type !== 'string') this.fail(key, 'a column name in quotes inside d[...] (only string literals)');
      this.expect(']', '"]"');
    } else {
      return this.fail(this.peek(), '".column" or ["column"] after d (d is the row)');
    }
    const name = String(key.value);
    if (FORBIDDEN_COLUMNS.has(name)) {
      throw new ExpressionError(key.pos, `${JSON.stringify(name)} cannot be a column name in an expression`);
    }
    this.noMember();
    return { kind: 'column', name, pos: d.pos };
  }

  /** After a column or a call: no member access, no call (`d.a.b`, `d.a()`, `op.f(x).g`). */
  private noMember(): void {
    const token = this.peek();
    if (token.type === 'punct' && (token.value === '.' || token.value === '[' || token.value === '(')) {
      throw new ExpressionError(token.pos, `unexpected ${JSON.stringify(token.value)}: only d and op have members`);
    }
  }

  private call(opToken: Token): Expr {
    this.expect('.', '".function(...)" after op');
    const name = this.next();
    if (name.type !== 'name') this.fail(name, 'a function name after "op."');
    const spec = OPS.get(name.value);
    if (spec === undefined) {
      throw new ExpressionError(name.pos, `op.${name.value} is not a function of the expression language`);
    }
    this.expect('(', `"(" after op.${name.value}`);
    const args: Expr[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        args.push(this.expression());
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    this.expect(')', args.length === 0 ? '")" or an argument' : '"," or ")"');
    if (args.length < spec.min || args.length > spec.max) {
      const range = spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
      throw new ExpressionError(name.pos, `op.${name.value} takes ${range} argument(s), not ${args.length}`);
    }
    if (spec.pattern !== undefined) {
      const pattern = args[spec.pattern] as Expr;
      if (pattern.kind !== 'literal' || typeof pattern.value !== 'string') {
        throw new ExpressionError(pattern.pos, `the pattern of op.${name.value} must be a string literal`);
      }
      compilePattern(pattern.value, pattern.pos);
    }
    this.noMember();
    return { kind: 'call', name: name.value, args, pos: opToken.pos };
  }
}

/**
 * Parses an expression of the language into its syntax tree. Nothing is evaluated.
 * @throws ExpressionError naming the character and what was expected there
 */
export function parse(text: string): Expr {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionError(
      MAX_EXPRESSION_LENGTH,
      `the expression is ${text.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are accepted`,
    );
  }
  return new Parser(tokenize(text)).parseAll();
}
