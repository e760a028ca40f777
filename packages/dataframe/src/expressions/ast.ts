// The syntax tree of a table expression. Every node names its kind and the character where it starts
// (0-based), so validation can point at it. The same tree is evaluated row by row, matched by the
// typed-array kernels and rendered as SQL: nothing here is specific to one engine.

/** A literal value: a number, a string, true, false or null. */
export type LiteralValue = number | string | boolean | null;

/** Binary operators other than the logical ones: arithmetic and comparison. */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '**' | ComparisonOperator;

/** The comparison operators. `==` and `===` (and `!=`, `!==`) differ only as in JavaScript, for non-null values. */
export type ComparisonOperator = '==' | '!=' | '===' | '!==' | '<' | '<=' | '>' | '>=';

/** The logical operators: `&&`, `||` (the first truthy operand) and `??` (coalesce). */
export type LogicalOp = '&&' | '||' | '??';

/** A node of an expression's syntax tree. */
export type Expr =
  | { kind: 'column'; name: string; pos: number }
  | { kind: 'literal'; value: LiteralValue; pos: number }
  | { kind: 'unary'; op: '!' | '-' | '+'; arg: Expr; pos: number }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; pos: number }
  | { kind: 'logical'; op: LogicalOp; left: Expr; right: Expr; pos: number }
  | { kind: 'conditional'; test: Expr; then: Expr; otherwise: Expr; pos: number }
  | { kind: 'call'; name: string; args: Expr[]; pos: number };

/** The comparison operators, as a set. */
export const COMPARISON_OPS: ReadonlySet<string> = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=']);

/** Calls `visit` on the node and every node below it, parents first. */
export function walk(node: Expr, visit: (node: Expr) => void): void {
  visit(node);
  switch (node.kind) {
    case 'unary':
      walk(node.arg, visit);
      break;
    case 'binary':
    case 'logical':
      walk(node.left, visit);
      walk(node.right, visit);
      break;
    case 'conditional':
      walk(node.test, visit);
      walk(node.then, visit);
      walk(node.otherwise, visit);
      break;
    case 'call':
      for (const arg of node.args) walk(arg, visit);
      break;
  }
}
