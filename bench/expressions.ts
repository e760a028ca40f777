/**
 * Expressions: the project's evaluator (typed loops for the shapes the kernels take, else closures
 * over the syntax tree, row by row) against Arquero's compiled expressions on the same table, for
 * `derive` and `filter_rows` expressions of several shapes. 1,000,000 rows from mulberry32: value is
 * null 5% of the time, group is "g00".."g99", flag a boolean. Results differ only on nulls (SQL's
 * rules against JavaScript's), so no checksum is compared; the tests compare values.
 * Run: `npm run bench -- expressions`.
 */
import { type ColumnTable, table } from 'arquero';
import { mulberry32 } from '../examples/data/mulberry32.js';
import { deriveTable, filterTable } from '../packages/dataframe/src/steps/row-tables.js';

const ROWS = 1_000_000;
const RUNS = 5;

function generate(rows: number): ColumnTable {
  const random = mulberry32(7);
  const group = new Array<string>(rows);
  const value = new Array<number | null>(rows);
  const flag = new Array<boolean>(rows);
  for (let i = 0; i < rows; i++) {
    group[i] = `g${String(Math.floor(random() * 100)).padStart(2, '0')}`;
    value[i] = random() < 0.05 ? null : random() * 2 - 1;
    flag[i] = random() < 0.5;
  }
  return table({ group, value, flag });
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Number((sorted[Math.floor(sorted.length / 2)] as number).toFixed(1));
}

function time(run: () => unknown): number {
  run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Median milliseconds per expression, ours and Arquero's. */
export async function runExpressions(): Promise<Record<string, { stepwiseMs: number; arqueroMs: number }>> {
  const df = generate(ROWS);
  const derived = {
    'derive d.value * 2 + 1 (kernel, with nulls)': 'd.value * 2 + 1',
    'derive (d.value || 0) * 2': '(d.value || 0) * 2',
    'derive d.value == null ? 0 : op.abs(d.value)': 'd.value == null ? 0 : op.abs(d.value)',
    'derive op.upper(d.group)': 'op.upper(d.group)',
  };
  const filters = {
    'filter d.value > 0.2 (kernel)': 'd.value > 0.2',
    'filter d.value > 0.5 || d.flag': 'd.value > 0.5 || d.flag',
    'filter op.startswith(d.group, "g0") && d.value < 0': 'op.startswith(d.group, "g0") && d.value < 0',
  };
  const result: Record<string, { stepwiseMs: number; arqueroMs: number }> = {};
  for (const [label, expression] of Object.entries(derived)) {
    result[label] = {
      stepwiseMs: time(() => deriveTable(df, { x: expression })),
      arqueroMs: time(() => df.derive({ x: expression })),
    };
  }
  for (const [label, expression] of Object.entries(filters)) {
    result[label] = {
      stepwiseMs: time(() => filterTable(df, expression).numRows()),
      arqueroMs: time(() => df.filter(expression).numRows()),
    };
  }
  return result;
}
