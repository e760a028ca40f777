import { type InferResult, stepType } from '@stepwise/core/define';
import { z } from 'zod';
import { arquero } from '../arquero/load-arquero.js';
import { type ExpressionRules, expressionSchema, requireColumns } from '../expressions/expression.js';
import { pushOr } from './lazy-push.js';
import { checkExpression, checkNames, type InputShapes, inputColumns, listed, sameColumns } from './shape-checks.js';

function filterParamsWith(rules: ExpressionRules) {
  return z.object({
    where: expressionSchema(
      'An expression over the row `d` that keeps a row when true, e.g. "d.value > 0.2 && d.region === \'north\'". A comparison with null is not true (the row is dropped); test for null with `d.x == null`.',
      rules,
    ),
  });
}

function deriveParamsWith(rules: ExpressionRules) {
  return z.object({
    columns: z
      .record(
        z.string().min(1),
        expressionSchema(
          'An expression over the row `d`, e.g. "d.quantity * d.unit_price". Arithmetic and op functions given null give null; `d.x ?? 0` or `d.x || 0` replace it.',
          rules,
        ),
      )
      .refine((map) => Object.keys(map).length > 0, 'Give at least one column to derive.')
      .describe('New (or replaced) column name → expression over the row `d`.'),
  });
}

/** Params of `filter_rows`. */
export const filterParams = filterParamsWith({});
/** Params of `filter_rows_stream`: no aggregates (they would see one chunk). */
export const filterStreamParams = filterParamsWith({ rowsOnly: true });
/** Params of `derive`. */
export const deriveParams = deriveParamsWith({});
/** Params of `derive_stream`: no aggregates (they would see one chunk). */
export const deriveStreamParams = deriveParamsWith({ rowsOnly: true });

/** The kernels of filter_rows and derive, imported when one first runs. */
const rowTables = () => import('./row-tables.js');

/** What validation knows of `filter_rows`: the expression reads existing columns; the columns stay. */
export function inferFilter({ where }: { where: string }, inputs: InputShapes): InferResult {
  return sameColumns(inputs, checkExpression(inputColumns(inputs), where, ['where']));
}

/**
 * What validation knows of `derive`: each expression reads columns of the input (not ones derived in
 * the same step, as at run time); new columns are appended.
 */
export function inferDerive({ columns }: { columns: Record<string, string> }, inputs: InputShapes): InferResult {
  const available = inputColumns(inputs);
  const issues = Object.entries(columns).flatMap(([name, expression]) =>
    checkExpression(available, expression, ['columns', name]),
  );
  const added = Object.keys(columns).filter((name) => !available?.includes(name));
  return { shape: available ? { columns: [...available, ...added] } : undefined, issues };
}

/** Keeps rows matching an expression. */
export const filterRows = stepType(
  {
    slug: 'filter_rows',
    name: 'Filter rows',
    description:
      'Keep the rows for which an expression is true, e.g. "d.value > 0.2". Rows where it is null or false are dropped; a comparison with null is null (SQL semantics), so `d.value > 0.2` drops rows where value is null. See docs/dataframes.md for the expression language.',
    params: filterParams,
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'rows' },
    infer: inferFilter,
    lazyInput: true,
  },
  async (df, { where }, ctx) => {
    const { filterTable } = await rowTables();
    return pushOr(df, ctx, { type: 'filter_rows', push: (p, f, s) => p.pushFilter(f, where, s) }, (t) =>
      filterTable(t, where),
    );
  },
);

/** Adds columns computed from each row. */
export const derive = stepType(
  {
    slug: 'derive',
    name: 'Derive columns',
    description:
      'Add or replace columns computed by expressions, e.g. { "total": "d.quantity * d.unit_price" }. Null semantics are SQL\'s: arithmetic and op functions given null give null (null * 2 is null); use `d.x ?? 0` for a default. See docs/dataframes.md for the expression language.',
    params: deriveParams,
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'rows' },
    infer: inferDerive,
    lazyInput: true,
  },
  async (df, { columns }, ctx) => {
    const { deriveTable } = await rowTables();
    return pushOr(df, ctx, { type: 'derive', push: (p, f, s) => p.pushDerive(f, columns, s) }, (t) =>
      deriveTable(t, columns),
    );
  },
);

const sortKey = z.union([
  z.string().min(1),
  z.object({
    column: z.string().min(1).describe('The column to sort by.'),
    descending: z.boolean().default(false).describe('Largest first.'),
  }),
]);

/** Sorts rows by one or more columns. */
export const sort = stepType(
  {
    slug: 'sort',
    name: 'Sort rows',
    description:
      'Sort rows by columns, each ascending unless { "column": ..., "descending": true }. The sort is stable; nulls sort last ascending.',
    params: z.object({
      by: z
        .array(sortKey)
        .min(1)
        .describe('Columns to sort by, most significant first: "name" or { column, descending }.'),
    }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'rows' },
    infer: ({ by }, inputs) => {
      const names = by.map((key, i): [string, (string | number)[]] =>
        typeof key === 'string' ? [key, ['by', i]] : [key.column, ['by', i, 'column']],
      );
      return sameColumns(inputs, checkNames(inputColumns(inputs), names));
    },
    lazyInput: true,
  },
  async (df, { by }, ctx) => {
    const keys = by.map((key) => (typeof key === 'string' ? { column: key, descending: false } : key));
    const { sortRows } = await import('../kernels/sort-kernel.js');
    return pushOr(df, ctx, { type: 'sort', push: (p, f, s) => p.pushSort(f, keys, s) }, (table) => {
      requireColumns(
        table,
        'sort',
        keys.map((k) => k.column),
      );
      // The ordered view is materialized so that downstream steps and encoders see rows in order.
      return sortRows(table, keys);
    });
  },
);

/** Removes duplicate rows. */
export const dedupe = stepType(
  {
    slug: 'dedupe',
    name: 'Remove duplicates',
    description:
      'Keep the first row of each distinct combination of the given columns (all columns when none are given).',
    params: z.object({
      columns: z.array(z.string().min(1)).default([]).describe('The columns that make rows duplicates; empty for all.'),
    }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'rows' },
    infer: ({ columns }, inputs) => sameColumns(inputs, checkNames(inputColumns(inputs), listed('columns', columns))),
    lazyInput: true,
  },
  (df, { columns }, ctx) =>
    pushOr(df, ctx, { type: 'dedupe', push: (p, f, s) => p.pushDedupe(f, columns, s) }, (table) => {
      requireColumns(table, 'dedupe', columns);
      if (table.numCols() === 0) return table;
      return columns.length === 0 ? table.dedupe() : table.dedupe(...columns);
    }),
);

/** Keeps the first n rows. */
export const head = stepType(
  {
    slug: 'head',
    name: 'First rows',
    description: 'Keep the first n rows.',
    params: z.object({ n: z.number().int().min(0).default(10).describe('How many rows to keep.') }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'rows' },
    infer: (_params, inputs) => sameColumns(inputs),
    lazyInput: true,
  },
  (df, { n }, ctx) => pushOr(df, ctx, { type: 'head', push: (p, f, s) => p.pushHead(f, n, s) }, (t) => t.slice(0, n)),
);

/** A seeded random sample of rows. */
export const sample = stepType(
  {
    slug: 'sample',
    name: 'Sample rows',
    description: 'A random sample of n rows (all rows when the table is smaller), the same for the same seed.',
    params: z.object({
      n: z.number().int().min(0).describe('How many rows to draw.'),
      seed: z.number().int().default(42).describe('The random seed: the same seed draws the same rows.'),
      replace: z.boolean().default(false).describe('Draw with replacement.'),
    }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'rows' },
    infer: (_params, inputs) => sameColumns(inputs),
  },
  (df, { n, seed: value, replace }) => {
    arquero().seed(value);
    try {
      return df.sample(replace ? n : Math.min(n, df.numRows()), { replace }).reify();
    } finally {
      arquero().seed(null as unknown as number);
    }
  },
);
