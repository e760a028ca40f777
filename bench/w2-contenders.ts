/**
 * The W2 data and the five steps as each contender runs them in memory: the Stepwise workflow,
 * Arquero by hand, hand-written typed arrays, DuckDB (one query) and Polars for Node (when installed).
 * pandas runs the same steps in `w2-pandas.py`, over the same data written by `writeColumns`.
 */
import { writeFileSync } from 'node:fs';
import { RuntimeContext, registry, Workflow, WorkflowRunner } from '@stepwise/core';
import { arquero, type DataFrame, DataFrameType, loadArquero } from '@stepwise/dataframe';
import type { ColumnTable } from 'arquero';
import { mulberry32 } from '../examples/data/mulberry32.js';

/** The generated columns: group both as text and as its code (0..99), null values as null. */
export interface Columns {
  id: Int32Array;
  groupCode: Uint8Array;
  group: string[];
  value: (number | null)[];
  flag: boolean[];
}

/** One result row of W2. */
export interface GroupRow {
  group: string;
  count: number;
  mean: number;
}

/** Row i draws r0..r3 from mulberry32(42): group g{floor(r0*100)}, value null when r1 < 0.05 else r2*2-1, flag r3 < 0.5. */
export function generate(rows: number): Columns {
  const random = mulberry32(42);
  const names = Array.from({ length: 100 }, (_, g) => `g${String(g).padStart(2, '0')}`);
  const cols: Columns = {
    id: new Int32Array(rows),
    groupCode: new Uint8Array(rows),
    group: new Array(rows),
    value: new Array(rows),
    flag: new Array(rows),
  };
  for (let i = 0; i < rows; i++) {
    const r0 = random();
    const r1 = random();
    const r2 = random();
    const r3 = random();
    const g = Math.floor(r0 * 100);
    cols.id[i] = i;
    cols.groupCode[i] = g;
    cols.group[i] = names[g] as string;
    cols.value[i] = r1 < 0.05 ? null : r2 * 2 - 1;
    cols.flag[i] = r3 < 0.5;
  }
  return cols;
}

/** The columns as one file for another process: value Float64 (NaN for null), id Int32, group code Uint8, flag Uint8. */
export function writeColumns(cols: Columns, path: string): void {
  const n = cols.id.length;
  const bytes = new Uint8Array(14 * n);
  const value = new Float64Array(bytes.buffer, 0, n);
  for (let i = 0; i < n; i++) value[i] = cols.value[i] ?? Number.NaN;
  bytes.set(new Uint8Array(cols.id.buffer), 8 * n);
  bytes.set(cols.groupCode, 12 * n);
  for (let i = 0; i < n; i++) bytes[13 * n + i] = cols.flag[i] ? 1 : 0;
  writeFileSync(path, bytes);
}

/** FNV-1a 32 over the lines `group:count:mean.toFixed(12)`, each ended by a newline, as 8 hex digits. */
export function checksum(rows: readonly GroupRow[]): string {
  let hash = 0x811c9dc5;
  for (const row of rows) {
    const line = `${row.group}:${row.count}:${row.mean.toFixed(12)}\n`;
    for (let i = 0; i < line.length; i++) {
      hash ^= line.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The input table every Arquero-based contender starts from, made with the Arquero the runner loads
 * (`loadArquero`, as `DataFrameType.load` does before a table step), so that no run loads it again.
 */
export async function inputTable(cols: Columns): Promise<ColumnTable> {
  // Not arquero() first: under tsx its `require` gives a copy of its own, and the run's
  // `DataFrameType.load` then imported Arquero's ~170 modules again inside the timed run (~100 ms).
  await loadArquero();
  return arquero().table({ id: cols.id, group: cols.group, value: cols.value, flag: cols.flag });
}

/** The rows of a result table. */
export function resultRows(df: ColumnTable): GroupRow[] {
  return df.objects() as unknown as GroupRow[];
}

/** The five steps in Arquero, by hand. */
export function handArquero(input: ColumnTable): ColumnTable {
  const { op } = arquero();
  return input
    .filter((d: { value: number | null }) => d.value != null)
    .filter('d.value > 0.2')
    .derive({ value2: 'd.value * 2 + 1' })
    .groupby('group')
    .rollup({ count: op.count(), mean: op.mean('value2') })
    .orderby('group');
}

/** The five steps over typed arrays, by hand, with the group codes. */
export function typedArrays(cols: Columns): GroupRow[] {
  const n = cols.id.length;
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = cols.value[i] ?? Number.NaN;
  // 1. drop nulls and 2. keep value > 0.2, as index lists
  let kept = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i] as number)) kept[k++] = i;
  const second = new Uint32Array(k);
  let m = 0;
  for (let j = 0; j < k; j++) {
    const i = kept[j] as number;
    if ((values[i] as number) > 0.2) second[m++] = i;
  }
  kept = second.subarray(0, m);
  // 3. derive value2
  const value2 = new Float64Array(m);
  for (let j = 0; j < m; j++) value2[j] = (values[kept[j] as number] as number) * 2 + 1;
  // 4. group: count and sum in row order, then 5. sort by group name
  const count = new Float64Array(100);
  const sum = new Float64Array(100);
  for (let j = 0; j < m; j++) {
    const g = cols.groupCode[kept[j] as number] as number;
    count[g] = (count[g] as number) + 1;
    sum[g] = (sum[g] as number) + (value2[j] as number);
  }
  const out: GroupRow[] = [];
  for (let g = 0; g < 100; g++) {
    if (count[g])
      out.push({
        group: `g${String(g).padStart(2, '0')}`,
        count: count[g] as number,
        mean: (sum[g] as number) / (count[g] as number),
      });
  }
  return out.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
}

/** The W2 workflow: clean_nulls, filter_rows, derive, aggregate, sort. */
export function buildWorkflow(): Workflow {
  const wf = new Workflow({ id: 'w2', name: 'W2 table pipeline', inputs: { table: { type: 'DataFrame' } }, registry });
  wf.add(
    'clean_nulls',
    { threshold: 0, columns: ['value'] },
    { id: 'drop_null', inputs: { input: { input: 'table' } } },
  );
  wf.add('filter_rows', { where: 'd.value > 0.2' }, { id: 'keep' });
  wf.add('derive', { columns: { value2: 'd.value * 2 + 1' } }, { id: 'value2' });
  wf.add(
    'aggregate',
    {
      groupBy: ['group'],
      aggregates: [
        { op: 'count', as: 'count' },
        { op: 'mean', column: 'value2', as: 'mean' },
      ],
    },
    { id: 'by_group' },
  );
  wf.add('sort', { by: ['group'] }, { id: 'sorted' });
  return wf;
}

/** A function that runs the Stepwise workflow once over `input` and returns its result table. */
export function stepwiseRunner(input: ColumnTable): () => Promise<ColumnTable> {
  const wf = buildWorkflow();
  const runner = new WorkflowRunner({ registry });
  return async () => {
    const context = new RuntimeContext();
    const ref = context.put(input, { type: DataFrameType.name });
    const run = await runner.run(wf, { context, inputs: { table: ref } });
    if (run.status !== 'completed') throw new Error(`W2: the Stepwise run ${run.status}`);
    return context.get(run.outputs.result as string) as DataFrame;
  };
}

/** The five steps as one DuckDB query. */
export const DUCKDB_QUERY = `SELECT "group", count(*) AS count, avg(value * 2 + 1) AS mean
FROM w2 WHERE value IS NOT NULL AND value > 0.2 GROUP BY "group" ORDER BY "group"`;

/**
 * DuckDB in memory: loads the columns through an appender (timed apart as `loadMs`), then returns a
 * function that runs the query once.
 */
export async function duckdbRunner(cols: Columns): Promise<{ loadMs: number; run: () => Promise<GroupRow[]> }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const t0 = performance.now();
  await connection.run('CREATE TABLE w2 (id INTEGER, "group" VARCHAR, value DOUBLE, flag BOOLEAN)');
  const appender = await connection.createAppender('w2');
  for (let i = 0; i < cols.id.length; i++) {
    appender.appendInteger(cols.id[i] as number);
    appender.appendVarchar(cols.group[i] as string);
    const v = cols.value[i];
    if (v === null || v === undefined) appender.appendNull();
    else appender.appendDouble(v);
    appender.appendBoolean(cols.flag[i] as boolean);
    appender.endRow();
  }
  appender.closeSync();
  const loadMs = performance.now() - t0;
  const run = async () => {
    const reader = await connection.runAndReadAll(DUCKDB_QUERY);
    return reader.getRowObjectsJS().map((row) => ({
      group: row.group as string,
      count: Number(row.count),
      mean: row.mean as number,
    }));
  };
  return { loadMs, run };
}

/** The parts of nodejs-polars W2 uses, typed loosely: the package is an optional devDependency. */
interface PolarsExpr {
  gt(value: number): PolarsExpr;
  mul(value: number): PolarsExpr;
  add(value: number): PolarsExpr;
  mean(): PolarsExpr;
  count(): PolarsExpr;
  alias(name: string): PolarsExpr;
}
interface PolarsFrame {
  dropNulls(column: string): PolarsFrame;
  filter(predicate: PolarsExpr): PolarsFrame;
  withColumns(...exprs: PolarsExpr[]): PolarsFrame;
  groupBy(column: string): { agg(...exprs: PolarsExpr[]): PolarsFrame };
  sort(column: string): PolarsFrame;
  toRecords(): Record<string, unknown>[];
}
interface Polars {
  DataFrame(columns: Record<string, unknown>): PolarsFrame;
  col(name: string): PolarsExpr;
}

/** Polars for Node when installed (nodejs-polars), else undefined. */
export async function loadPolars(): Promise<Polars | undefined> {
  const name = 'nodejs-polars';
  try {
    const module = (await import(name)) as { default?: Polars } & Polars;
    return module.default ?? module;
  } catch {
    return undefined;
  }
}

/** A function that runs the five steps in Polars once (the frame is built beforehand, not timed). */
export function polarsRunner(pl: Polars, cols: Columns): () => GroupRow[] {
  const df = pl.DataFrame({ id: Array.from(cols.id), group: cols.group, value: cols.value, flag: cols.flag });
  return () =>
    df
      .dropNulls('value')
      .filter(pl.col('value').gt(0.2))
      .withColumns(pl.col('value').mul(2).add(1).alias('value2'))
      .groupBy('group')
      .agg(pl.col('value2').count().alias('count'), pl.col('value2').mean().alias('mean'))
      .sort('group')
      .toRecords()
      .map((row) => ({ group: row.group as string, count: Number(row.count), mean: row.mean as number }));
}
