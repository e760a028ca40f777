import { type InferResult, StepwiseError, stepType } from '@stepwise/core/define';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { newColumnName } from '../data-type/column-names.js';
import { requireColumns } from '../expressions/expression.js';
import { pushOr } from './lazy-push.js';
import { checkNames, type InputShapes, inputColumns, keyed, listed, sameColumns } from './shape-checks.js';
import { columnListSchema } from './step-helpers.js';

/** Error code of a value `cast` cannot convert (with `onError: "fail"`). */
export const CAST_FAILED = 'CAST_FAILED';

/** Params of `select` and `select_stream`. */
export const selectParams = z.object({ columns: columnListSchema('The columns to keep, in output order.') });

/**
 * Keeps only the named columns, in the order given.
 * @throws StepwiseError `COLUMN_NOT_FOUND` naming the missing columns.
 */
export function selectColumns(df: ColumnTable, columns: string[], step = 'select'): ColumnTable {
  requireColumns(df, step, columns);
  return df.select(columns);
}

/** What validation knows of `select`: the columns must exist; the output is exactly those. */
export function inferSelect({ columns }: { columns: string[] }, inputs: InputShapes): InferResult {
  return { shape: { columns }, issues: checkNames(inputColumns(inputs), listed('columns', columns)) };
}

/** Keeps only the named columns, in the order given. */
export const select = stepType(
  {
    slug: 'select',
    name: 'Select columns',
    description: 'Keep only the named columns, in the order given.',
    params: selectParams,
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'columns' },
    infer: inferSelect,
    lazyInput: true,
  },
  (df, { columns }, ctx) =>
    pushOr(df, ctx, { type: 'select', push: (p, f, s) => p.pushSelect(f, columns, s) }, (t) =>
      selectColumns(t, columns),
    ),
);

/** Removes the named columns. */
export const dropColumns = stepType(
  {
    slug: 'drop_columns',
    name: 'Drop columns',
    description: 'Remove the named columns.',
    params: z.object({
      columns: columnListSchema('The columns to remove.'),
      ignoreMissing: z.boolean().default(false).describe('Skip names the table does not have instead of failing.'),
    }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'columns' },
    infer: ({ columns, ignoreMissing }, inputs) => {
      const available = inputColumns(inputs);
      const drop = new Set(columns);
      return {
        shape: available ? { columns: available.filter((name) => !drop.has(name)) } : undefined,
        issues: ignoreMissing ? [] : checkNames(available, listed('columns', columns)),
      };
    },
    lazyInput: true,
  },
  (df, { columns, ignoreMissing }, ctx) =>
    pushOr(df, ctx, { type: 'drop_columns', push: (p, f, s) => p.pushDrop(f, columns, ignoreMissing, s) }, (table) => {
      if (!ignoreMissing) requireColumns(table, 'drop_columns', columns);
      const drop = new Set(columns);
      return table.select(table.columnNames().filter((name) => !drop.has(name)));
    }),
);

/** Renames columns. */
export const rename = stepType(
  {
    slug: 'rename',
    name: 'Rename columns',
    description: 'Rename columns: { "old name": "new name", ... }. Other columns keep their names and places.',
    params: z.object({
      columns: z
        .record(z.string().min(1), newColumnName())
        .refine((map) => Object.keys(map).length > 0, 'Give at least one column to rename.')
        .describe('Old name → new name.'),
    }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'columns' },
    infer: ({ columns }, inputs) => {
      const available = inputColumns(inputs);
      // A new name that is already taken replaces that column, as the run does.
      const renamed = available && [
        ...new Set(available.map((name) => (Object.hasOwn(columns, name) ? (columns[name] as string) : name))),
      ];
      return {
        shape: renamed ? { columns: renamed } : undefined,
        issues: checkNames(available, keyed('columns', columns)),
      };
    },
    lazyInput: true,
  },
  (df, { columns }, ctx) =>
    pushOr(df, ctx, { type: 'rename', push: (p, f, s) => p.pushRename(f, columns, s) }, (table) => {
      requireColumns(table, 'rename', Object.keys(columns));
      return table.rename(columns);
    }),
);

/** A type `cast` converts to. */
export type CastType = 'number' | 'integer' | 'string' | 'boolean' | 'date';

const TRUE = new Set(['true', '1', 'yes', 'y', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f']);

/** Converts one value; undefined when it cannot be converted. Null stays null. */
function castValue(value: unknown, type: CastType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
    case 'number':
    case 'integer': {
      const text = typeof value === 'string' ? value.trim() : value;
      if (text === '' || typeof text === 'boolean') return typeof text === 'boolean' ? Number(text) : undefined;
      const n = text instanceof Date ? text.getTime() : Number(text);
      if (Number.isNaN(n)) return undefined;
      return type === 'integer' ? Math.trunc(n) : n;
    }
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      const text = String(value).trim().toLowerCase();
      return TRUE.has(text) ? true : FALSE.has(text) ? false : undefined;
    }
    case 'date': {
      const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value : String(value));
      return Number.isNaN(date.getTime()) ? undefined : date;
    }
  }
}

function castColumn(df: ColumnTable, name: string, type: CastType, onError: 'null' | 'fail'): unknown[] {
  const values = df.array(name) as ArrayLike<unknown>;
  return Array.from(values, (value, row) => {
    const cast = castValue(value, type);
    if (cast !== undefined) return cast;
    if (onError === 'null') return null;
    throw new StepwiseError(
      CAST_FAILED,
      `cast: value ${typeof value === 'number' ? String(value) : JSON.stringify(value)} in column "${name}" (row ${row}) is not a ${type}; set onError: "null" to turn such values into null.`,
      { details: { column: name, row, type } },
    );
  });
}

/** Converts columns to number, integer, string, boolean or date. */
export const cast = stepType(
  {
    slug: 'cast',
    name: 'Cast columns',
    description:
      'Convert columns to number, integer (truncated), string, boolean (true/false, 1/0, yes/no) or date. Values that do not convert fail the step, or become null with onError: "null".',
    params: z.object({
      columns: z
        .record(z.string().min(1), z.enum(['number', 'integer', 'string', 'boolean', 'date']))
        .refine((map) => Object.keys(map).length > 0, 'Give at least one column to cast.')
        .describe('Column name → target type.'),
      onError: z
        .enum(['fail', 'null'])
        .default('fail')
        .describe('What a value that does not convert does: fail the step, or become null.'),
    }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'columns' },
    infer: ({ columns }, inputs) => sameColumns(inputs, checkNames(inputColumns(inputs), keyed('columns', columns))),
    lazyInput: true,
  },
  (df, { columns, onError }, ctx) =>
    pushOr(df, ctx, { type: 'cast', push: (p, f, s) => p.pushCast(f, columns, onError, s) }, (table) => {
      requireColumns(table, 'cast', Object.keys(columns));
      const base = table.reify();
      const replaced: Record<string, unknown[]> = {};
      for (const [name, type] of Object.entries(columns)) replaced[name] = castColumn(base, name, type, onError);
      return base.assign(replaced);
    }),
);
