import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.js';
import { expressionProblem, parseExpression } from './expression.js';
import { OPS } from './ops.js';
import { MAX_DEPTH } from './parser.js';

/** The tree as compact text: (op left right), columns as d.name, literals as JSON. */
function show(expr: Expr): string {
  switch (expr.kind) {
    case 'column':
      return `d.${expr.name}`;
    case 'literal':
      return JSON.stringify(expr.value);
    case 'unary':
      return `(${expr.op} ${show(expr.arg)})`;
    case 'binary':
    case 'logical':
      return `(${expr.op} ${show(expr.left)} ${show(expr.right)})`;
    case 'conditional':
      return `(? ${show(expr.test)} ${show(expr.then)} ${show(expr.otherwise)})`;
    case 'call':
      return `(op.${expr.name}${expr.args.map((a) => ` ${show(a)}`).join('')})`;
  }
}

const tree = (text: string) => show(parseExpression(text));

describe('the expression grammar', () => {
  it('binds as JavaScript does', () => {
    expect(tree('1 + 2 * 3 - 4')).toBe('(- (+ 1 (* 2 3)) 4)');
    expect(tree('2 ** 3 ** 2')).toBe('(** 2 (** 3 2))');
    expect(tree('(-2) ** 2')).toBe('(** (- 2) 2)');
    expect(tree('!d.a && d.b || d.c')).toBe('(|| (&& (! d.a) d.b) d.c)');
    expect(tree('d.a ?? d.b > 1 ? "x" : "y"')).toBe('(? (?? d.a (> d.b 1)) "x" "y")');
    expect(tree('d.a ? 1 : d.b ? 2 : 3')).toBe('(? d.a 1 (? d.b 2 3))');
    expect(tree('d.a == 1 != d.b < 2')).toBe('(!= (== d.a 1) (< d.b 2))');
  });

  it('reads columns by name and by string key, and literals of every kind', () => {
    expect(tree('d["unit price"] * d.qty_2')).toBe('(* d.unit price d.qty_2)');
    expect(parseExpression('d["prix unitaire €"]')).toEqual({ kind: 'column', name: 'prix unitaire €', pos: 0 });
    expect(tree(`'it\\'s' + "\\u00fc\\n" + 1.5e3 + .5 + true + null`)).toBe(
      '(+ (+ (+ (+ (+ "it\'s" "ü\\n") 1500) 0.5) true) null)',
    );
  });

  it('calls whitelisted op functions with their number of arguments', () => {
    expect(tree('op.lower(op.trim(d.region))')).toBe('(op.lower (op.trim d.region))');
    expect(tree('op.count()')).toBe('(op.count)');
    expect(expressionProblem('op.lower()')).toBe('at character 4: op.lower takes 1 argument(s), not 0');
    expect(expressionProblem('op.substring(d.a)')).toBe('at character 4: op.substring takes 2 to 3 argument(s), not 1');
    expect(expressionProblem('op.now()')).toBe('at character 4: op.now is not a function of the expression language');
  });

  it('names the character and what was expected', () => {
    expect(expressionProblem('d.a +* 2')).toMatch(/^at character 6: expected a value: /);
    expect(expressionProblem('d.a 2')).toBe(
      'at character 5: expected an operator or the end of the expression but found "2"',
    );
    expect(expressionProblem('(d.a')).toBe('at character 5: expected ")" but found the end of the expression');
    expect(expressionProblem('"abc')).toBe('at character 1: the string starting here has no closing "');
    expect(expressionProblem('-2 ** 2')).toBe('at character 4: put the unary expression before ** in parentheses');
    expect(expressionProblem('d.a ? 1')).toBe(
      'at character 8: expected ":" of the conditional a ? b : c but found the end of the expression',
    );
    expect(expressionProblem('12abc')).toBe('at character 1: expected a decimal number such as 12, 0.5 or 1e3');
    expect(expressionProblem('0x10')).toBe('at character 1: expected a decimal number such as 12, 0.5 or 1e3');
  });

  it('bounds nesting, counting parentheses and chains of operators alike', () => {
    const deep = (n: number) => `${'('.repeat(n)}1${')'.repeat(n)}`;
    expect(expressionProblem(deep(MAX_DEPTH - 2))).toBeUndefined();
    expect(expressionProblem(deep(MAX_DEPTH + 1))).toMatch(/nests deeper than 200/);
    expect(expressionProblem(Array.from({ length: 150 }, (_, i) => `d.c${i}`).join(' + '))).toBeUndefined();
    expect(expressionProblem(Array.from({ length: 300 }, (_, i) => `d.c${i}`).join(' + '))).toMatch(/nests deeper/);
  });

  it('documents every op function in docs/dataframes.md', () => {
    const docs = readFileSync(new URL('../../../../docs/dataframes.md', import.meta.url), 'utf8');
    const table = docs.slice(docs.indexOf('The `op` functions'), docs.indexOf('The plain functions behave'));
    const missing = [...OPS.keys()].filter((name) => !new RegExp(`\`${name}[(\`]`).test(table));
    expect(missing).toEqual([]);
  });
});
