import { parseExpression } from '../expressions/expression.js';

/** An operand of a comparison: a column, or a constant (number, string, boolean or null). */
export type Operand = { column: string } | { constant: number | string | boolean | null };

/** `left op right`, one a column and the other a constant, compared with JavaScript's own operator. */
export interface Comparison {
  op: ComparisonOp;
  left: Operand;
  right: Operand;
}

/** The comparison operators the filter kernel evaluates. */
export type ComparisonOp = '<' | '<=' | '>' | '>=' | '==' | '!=' | '===' | '!==';

/** Numeric arithmetic over columns and number constants. */
export type Arithmetic =
  | { column: string }
  | { constant: number }
  | { op: ArithmeticOp; left: Arithmetic; right: Arithmetic }
  | { op: 'neg' | 'pos'; arg: Arithmetic };

/** The binary arithmetic operators the derive kernel evaluates. */
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

interface Node {
  type: string;
  name?: string;
  table?: unknown;
  value?: unknown;
  regex?: unknown;
  operator?: string;
  left?: Node;
  right?: Node;
  argument?: Node;
}

const COMPARISON = new Set(['<', '<=', '>', '>=', '==', '!=', '===', '!==']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

function ast(expression: string): Node | undefined {
  try {
    return parseExpression(expression) as Node;
  } catch {
    return undefined;
  }
}

function isColumn(node: Node): boolean {
  return node.type === 'Column' && typeof node.name === 'string' && node.table === undefined;
}

function operand(node: Node | undefined): Operand | undefined {
  if (!node) return undefined;
  if (isColumn(node)) return { column: node.name as string };
  if (node.type === 'Literal' && node.regex === undefined) {
    const { value } = node;
    if (value === null || ['number', 'string', 'boolean'].includes(typeof value)) {
      return { constant: value as number | string | boolean | null };
    }
  }
  const negated = node.type === 'UnaryExpression' && node.operator === '-' ? node.argument : undefined;
  if (negated?.type === 'Literal' && typeof negated.value === 'number') return { constant: -negated.value };
  return undefined;
}

function comparison(node: Node): Comparison | undefined {
  if (node.type !== 'BinaryExpression' || !COMPARISON.has(node.operator as string)) return undefined;
  const left = operand(node.left);
  const right = operand(node.right);
  if (!left || !right || 'column' in left === 'column' in right) return undefined;
  return { op: node.operator as ComparisonOp, left, right };
}

function conjuncts(node: Node, out: Comparison[]): boolean {
  if (node.type === 'LogicalExpression' && node.operator === '&&') {
    return conjuncts(node.left as Node, out) && conjuncts(node.right as Node, out);
  }
  const c = comparison(node);
  if (c) out.push(c);
  return c !== undefined;
}

/**
 * A filter expression as comparisons joined by `&&` (e.g. `d.value > 0.2 && d.region === "north"`),
 * each a column against a constant (either way round); undefined for any other shape.
 */
export function comparisonShape(expression: string): Comparison[] | undefined {
  const node = ast(expression);
  const out: Comparison[] = [];
  return node && conjuncts(node, out) ? out : undefined;
}

function arithmetic(node: Node | undefined): Arithmetic | undefined {
  if (!node) return undefined;
  if (isColumn(node)) return { column: node.name as string };
  if (node.type === 'Literal' && typeof node.value === 'number') return { constant: node.value };
  if (node.type === 'UnaryExpression' && (node.operator === '-' || node.operator === '+')) {
    const arg = arithmetic(node.argument);
    return arg && { op: node.operator === '-' ? 'neg' : 'pos', arg };
  }
  if (node.type === 'BinaryExpression' && ARITHMETIC.has(node.operator as string)) {
    const left = arithmetic(node.left);
    const right = arithmetic(node.right);
    return left && right && { op: node.operator as ArithmeticOp, left, right };
  }
  return undefined;
}

/**
 * A derive expression made of columns, number constants and `+ - * / %` (e.g. `d.value * 2 + 1`);
 * undefined for any other shape, and for a bare column or constant (copied as is, not as a number).
 */
export function arithmeticShape(expression: string): Arithmetic | undefined {
  const node = ast(expression);
  const shape = arithmetic(node);
  return shape && 'op' in shape ? shape : undefined;
}
