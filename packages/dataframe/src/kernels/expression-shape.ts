import { COMPARISON_OPS, type Expr } from '../expressions/ast.js';

/** An operand of a comparison: a column, or a constant (number, string, boolean or null). */
export type Operand = { column: string } | { constant: number | string | boolean | null };

/** `left op right`, one a column and the other a constant: JavaScript's operator on non-null values, SQL's rule for null. */
export interface Comparison {
  op: ComparisonOp;
  left: Operand;
  right: Operand;
}

/** The comparison operators the filter kernel evaluates. */
export type ComparisonOp = '<' | '<=' | '>' | '>=' | '==' | '!=' | '===' | '!==';

/** Numeric arithmetic over columns and number constants, with `??` and `||` for defaults (`d.x || 0`). */
export type Arithmetic =
  | { column: string }
  | { constant: number }
  | { op: ArithmeticOp; left: Arithmetic; right: Arithmetic }
  | { op: FallbackOp; left: Arithmetic; right: Arithmetic; fallback: true }
  | { op: 'neg' | 'pos'; arg: Arithmetic };

/** `a ?? b` (b when a is null) and `a || b` (b when a is null, 0 or NaN). */
export type FallbackOp = '??' | '||';

/** The binary arithmetic operators the derive kernel evaluates. */
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);

function operand(node: Expr): Operand | undefined {
  if (node.kind === 'column') return { column: node.name };
  if (node.kind === 'literal') return { constant: node.value };
  if (node.kind === 'unary' && node.op === '-' && node.arg.kind === 'literal' && typeof node.arg.value === 'number') {
    return { constant: -node.arg.value };
  }
  return undefined;
}

function comparison(node: Expr): Comparison | undefined {
  if (node.kind !== 'binary' || !COMPARISON_OPS.has(node.op)) return undefined;
  const left = operand(node.left);
  const right = operand(node.right);
  if (!left || !right || 'column' in left === 'column' in right) return undefined;
  return { op: node.op as ComparisonOp, left, right };
}

function conjuncts(node: Expr, out: Comparison[]): boolean {
  if (node.kind === 'logical' && node.op === '&&') {
    return conjuncts(node.left, out) && conjuncts(node.right, out);
  }
  const c = comparison(node);
  if (c) out.push(c);
  return c !== undefined;
}

/**
 * A filter expression as comparisons joined by `&&` (e.g. `d.value > 0.2 && d.region === "north"`),
 * each a column against a constant (either way round); undefined for any other shape.
 */
export function comparisonShape(node: Expr): Comparison[] | undefined {
  const out: Comparison[] = [];
  return conjuncts(node, out) ? out : undefined;
}

function arithmetic(node: Expr): Arithmetic | undefined {
  if (node.kind === 'column') return { column: node.name };
  if (node.kind === 'literal' && typeof node.value === 'number') return { constant: node.value };
  if (node.kind === 'unary' && (node.op === '-' || node.op === '+')) {
    const arg = arithmetic(node.arg);
    return arg && { op: node.op === '-' ? 'neg' : 'pos', arg };
  }
  if (node.kind === 'binary' && ARITHMETIC.has(node.op)) {
    const left = arithmetic(node.left);
    const right = arithmetic(node.right);
    return left && right && { op: node.op as ArithmeticOp, left, right };
  }
  if (node.kind === 'logical' && (node.op === '??' || node.op === '||')) {
    const left = arithmetic(node.left);
    const right = arithmetic(node.right);
    return left && right && { op: node.op, left, right, fallback: true };
  }
  return undefined;
}

/**
 * A derive expression made of columns, number constants and `+ - * / %` (e.g. `d.value * 2 + 1`);
 * undefined for any other shape, and for a bare column or constant (copied as is, not as a number).
 */
export function arithmeticShape(node: Expr): Arithmetic | undefined {
  const shape = arithmetic(node);
  return shape && 'op' in shape ? shape : undefined;
}
