import { type InferFunction, stepType } from '@stepwise/core/define';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { arquero } from '../arquero/load-arquero.js';
import { newColumnName } from '../data-type/column-names.js';
import { requireColumns } from '../expressions/expression.js';
import { fastAggregate, type KernelAggregate, meanWithInfinities } from '../kernels/aggregate-kernel.js';
import { pushOr } from './lazy-push.js';
import { type ConfigPath, checkNames, inputColumns, listed } from './shape-checks.js';

/** An aggregate function of `aggregate`. */
export type AggregateOp = 'count' | 'sum' | 'mean' | 'min' | 'max' | 'distinct_count';

const aggregateSpec = z
  .object({
    op: z
      .enum(['count', 'sum', 'mean', 'min', 'max', 'distinct_count'])
      .describe(
        'count: rows (or non-null values of `column`); sum/mean/min/max ignore nulls; distinct_count: distinct non-null values.',
      ),
    column: z.string().min(1).optional().describe('The column to aggregate; required except for count.'),
    as: newColumnName().optional().describe('The output column name (default: op_column, or "count").'),
  })
  .superRefine((spec, ctx) => {
    if (spec.op !== 'count' && spec.column === undefined) {
      ctx.addIssue({ code: 'custom', path: ['column'], message: `"${spec.op}" needs a column.` });
    }
  });

/** One aggregate: its function, column and output name. */
export type AggregateSpec = z.output<typeof aggregateSpec>;

/** The output name of an aggregate. */
export function aggregateName(spec: AggregateSpec): string {
  return spec.as ?? (spec.column === undefined ? spec.op : `${spec.op}_${spec.column}`);
}

/** The Arquero expression of an aggregate (column names are quoted, never spliced in raw). */
function aggregateExpression(spec: AggregateSpec): string {
  if (spec.column === undefined) return 'op.count()';
  const d = `d[${JSON.stringify(spec.column)}]`;
  switch (spec.op) {
    case 'count':
      return `op.valid(${d})`;
    case 'distinct_count':
      return `op.distinct(${d}) - (op.invalid(${d}) > 0 ? 1 : 0)`;
    default:
      // Like SQL: the aggregate of a group with no values is null (arquero gives 0 or undefined).
      return `op.valid(${d}) > 0 ? op.${spec.op}(${d}) : null`;
  }
}

/** Groups rows and computes aggregates; one row per group, groups in order of first appearance. */
export function aggregateTable(
  df: ColumnTable,
  groupBy: readonly string[],
  aggregates: readonly AggregateSpec[],
): ColumnTable {
  requireColumns(df, 'aggregate', [
    ...groupBy,
    ...aggregates.flatMap((a) => (a.column === undefined ? [] : [a.column])),
  ]);
  const simple = aggregates.every((a) => a.op !== 'distinct_count');
  const specs = aggregates.map((a) => ({
    name: aggregateName(a),
    op: a.op as KernelAggregate['op'],
    column: a.column,
  }));
  return (simple ? fastAggregate(df, groupBy, specs) : undefined) ?? rollupTable(df, groupBy, aggregates);
}

/** `aggregateTable` by Arquero's groupby and rollup: every shape, and the reference for the kernel. */
export function rollupTable(
  df: ColumnTable,
  groupBy: readonly string[],
  aggregates: readonly AggregateSpec[],
): ColumnTable {
  const exprs: Record<string, string> = {};
  for (const spec of aggregates) exprs[aggregateName(spec)] = aggregateExpression(spec);
  // Arquero's running mean gives NaN for an infinity followed by any value: count each mean's
  // infinities per group (helper columns, dropped below) to correct it as the kernel does.
  const means = new Map<string, [string, string]>();
  for (const [i, spec] of aggregates.entries()) {
    const name = aggregateName(spec);
    if (spec.op !== 'mean' || spec.column === undefined || means.has(name)) continue;
    const d = `d[${JSON.stringify(spec.column)}]`;
    const helpers: [string, string] = [`\u0000+inf${i}`, `\u0000-inf${i}`];
    exprs[helpers[0]] = `op.sum(${d} > ${Number.MAX_VALUE} ? 1 : 0)`;
    exprs[helpers[1]] = `op.sum(${d} < ${-Number.MAX_VALUE} ? 1 : 0)`;
    means.set(name, helpers);
  }
  const grouped = groupBy.length > 0 ? df.groupby(...groupBy) : df;
  const result = grouped.rollup(exprs).ungroup();
  return means.size > 0 ? withNulls(result, means) : withNulls(result);
}

/**
 * Replaces undefined cells (arquero's "no value") with null. Results are small: one row per group.
 * With `means` (mean column name to its +Infinity and -Infinity count columns), corrects those means
 * by {@link meanWithInfinities} and drops the count columns.
 */
export function withNulls(df: ColumnTable, means?: ReadonlyMap<string, readonly [string, string]>): ColumnTable {
  const helpers = new Set([...(means?.values() ?? [])].flat());
  const names = df.columnNames().filter((name) => !helpers.has(name));
  const data: Record<string, unknown[]> = {};
  for (const name of names) {
    data[name] = Array.from(df.array(name) as ArrayLike<unknown>, (v) => (v === undefined ? null : v));
  }
  for (const [name, [positive, negative]] of means ?? []) {
    const pos = df.array(positive) as ArrayLike<number>;
    const neg = df.array(negative) as ArrayLike<number>;
    data[name] = (data[name] as unknown[]).map((v, row) =>
      typeof v === 'number' ? meanWithInfinities(v, pos[row] as number, neg[row] as number) : v,
    );
  }
  return arquero().table(data, names);
}

const named = (specs: readonly AggregateSpec[]) => specs.map((spec) => ({ ...spec, as: aggregateName(spec) }));

/** The params of `aggregate` and `aggregate_stream`. */
export const aggregateParams = z.object({
  groupBy: z
    .array(z.string().min(1))
    .default([])
    .describe('The columns to group by (none: the whole table is one group).'),
  aggregates: z
    .array(aggregateSpec)
    .min(1)
    .default([{ op: 'count' }])
    .describe('The aggregates to compute, one output column each.'),
});

/**
 * The validation hook of `aggregate` and `aggregate_stream`. The output is known even when the input
 * is not: the group columns, then one column per aggregate.
 */
export const inferAggregate: InferFunction<z.output<typeof aggregateParams>> = ({ groupBy, aggregates }, inputs) => {
  const read = aggregates.flatMap((spec, i): [string, ConfigPath][] =>
    spec.column === undefined ? [] : [[spec.column, ['aggregates', i, 'column']]],
  );
  const issues = checkNames(inputColumns(inputs), [...listed('groupBy', groupBy), ...read]);
  return { shape: { columns: [...groupBy, ...aggregates.map(aggregateName)] }, issues };
};

/** Groups rows and computes count, sum, mean, min, max and distinct counts. */
export const aggregate = stepType(
  {
    slug: 'aggregate',
    name: 'Aggregate',
    description:
      'Group rows by columns and compute aggregates per group: count, sum, mean, min, max, distinct_count. Without groupBy, one row for the whole table. Groups come in order of first appearance; add a sort step to order them.',
    params: aggregateParams,
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'aggregate' },
    infer: inferAggregate,
    lazyInput: true,
  },
  (df, { groupBy, aggregates }, ctx) =>
    pushOr(df, ctx, { type: 'aggregate', push: (p, f, s) => p.pushAggregate(f, groupBy, named(aggregates), s) }, (t) =>
      aggregateTable(t, groupBy, aggregates),
    ),
);
