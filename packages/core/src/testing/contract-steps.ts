/**
 * Step types of the executor contract suite, and `ContractTable`, a columnar data type of class
 * instances (as a DataFrame is). Executors that load step modules by path (worker threads, queue
 * workers) import this module ({@link CONTRACT_STEP_MODULE}), so it must not import vitest; the
 * suite and the workers import the same definitions.
 */
import { z } from 'zod';
import { StepwiseError } from '../errors/stepwise-error.js';
import { dataType } from '../registry/define-data-type.js';
import { stepType } from '../registry/define-step-type.js';
import { StepRegistry } from '../registry/step-registry.js';

/** This module, for executors that load step modules by path (`.ts` from sources, `.js` built). */
export const CONTRACT_STEP_MODULE = import.meta.url;

const io = { inputType: 'JSON', outputType: 'JSON' } as const;

/** row_iterative: doubles a number. */
export const cDouble = stepType({ slug: 'c_double', ...io, mode: 'row_iterative' }, (n) => (n as number) * 2);

/** row_iterative: drops odd numbers, repeats multiples of 3, keeps the rest. */
export const cExpandDrop = stepType({ slug: 'c_expand_drop', ...io, mode: 'row_iterative' }, (n) => {
  const v = n as number;
  if (v % 2 === 1) return null;
  return v % 3 === 0 ? [v, v] : v;
});

/** row_iterative, asynchronous: adds one after a tick. */
export const cAsyncInc = stepType({ slug: 'c_async_inc', ...io, mode: 'row_iterative' }, async (n) => {
  await new Promise((resolve) => setImmediate(resolve));
  return (n as number) + 1;
});

/** batch: the sum of an array of numbers. */
export const cSum = stepType({ slug: 'c_sum', ...io }, (values) => (values as number[]).reduce((a, b) => a + b, 0));

/** streaming: multiplies every number by ten, chunk by chunk. */
export const cStreamScale = stepType({ slug: 'c_stream_scale', ...io, mode: 'streaming' }, async function* (chunks) {
  for await (const chunk of chunks) yield (chunk as number[]).map((v) => v * 10);
});

/** streaming: keeps even numbers; a synchronous generator is fine too. */
export const cStreamEven = stepType({ slug: 'c_stream_even', ...io, mode: 'streaming' }, async function* (chunks) {
  for await (const chunk of chunks) yield (chunk as number[]).filter((v) => v % 2 === 0);
});

/** streaming source: 0..19 in chunks of 5. */
export const cStreamSource = stepType({ slug: 'c_stream_source', outputType: 'JSON', mode: 'streaming' }, function* () {
  for (let i = 0; i < 20; i += 5) yield [i, i + 1, i + 2, i + 3, i + 4];
});

function reject(value: unknown): never {
  throw new StepwiseError('ROW_REJECTED', `value ${String(value)} is rejected`, {
    details: { value: value as number },
  });
}

/** Each mode's failing step: throws a coded error on the value 3. */
export const cRowThrow = stepType({ slug: 'c_row_throw', ...io, mode: 'row_iterative' }, (n) =>
  n === 3 ? reject(n) : n,
);
export const cBatchThrow = stepType({ slug: 'c_batch_throw', ...io }, (values) =>
  (values as number[]).includes(3) ? reject(3) : values,
);
export const cStreamThrow = stepType({ slug: 'c_stream_throw', ...io, mode: 'streaming' }, async function* (chunks) {
  for await (const chunk of chunks) yield (chunk as number[]).map((v) => (v === 3 ? reject(v) : v));
});

/** Each mode's step that never ends (a busy loop: nothing but terminating the thread stops it off-thread). */
function spin(): never {
  for (;;) {
    // busy
  }
}
export const cRowSpin = stepType({ slug: 'c_row_spin', ...io, mode: 'row_iterative' }, (n) => (n === 3 ? spin() : n));

/** Calls process.exit in the middle of a row. */
export const cRowExit = stepType({ slug: 'c_row_exit', ...io, mode: 'row_iterative' }, (n) => {
  if (n === 3) process.exit(7);
  return n;
});

/** Allocates until the heap is exhausted. */
export const cRowHog = stepType({ slug: 'c_row_hog', ...io, mode: 'row_iterative' }, (n) => {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array(1_000_000).fill(n));
});

/** batch: every number times `factor` (params reach the step where it runs). */
export const cScale = stepType(
  { slug: 'c_scale', ...io, params: z.object({ factor: z.number().default(2) }) },
  (values, { factor }) => (values as number[]).map((v) => v * factor),
);

/** batch with a second named input: each number plus the `right` input's offset. */
export const cOffset = stepType({ slug: 'c_offset', ...io, inputs: { right: 'JSON' } }, (values, _p, ctx) => {
  const offset = (ctx.inputs.right as { offset: number }).offset;
  return (values as number[]).map((v) => v + offset);
});

/** row_iterative with a second named input: each row plus the `right` input's offset. */
export const cRowOffset = stepType(
  { slug: 'c_row_offset', ...io, mode: 'row_iterative', inputs: { right: 'JSON' } },
  (n, _p, ctx) => (n as number) + (ctx.inputs.right as { offset: number }).offset,
);

/** batch: what the step sees of its run (ids, attempt), where it runs. */
export const cWhoAmI = stepType({ slug: 'c_who_am_i', ...io }, (_values, _p, ctx) => ({
  runId: ctx.runId,
  stepId: ctx.stepId,
  attempt: ctx.attempt,
}));

/** batch: logs at every level (printf-style and with fields) and reports progress, then answers. */
export const cChatty = stepType({ slug: 'c_chatty', ...io }, (values, _p, ctx) => {
  const list = values as number[];
  ctx.log.debug('starting');
  ctx.log.info('summing %d numbers', list.length);
  ctx.log.warn({ first: list[0] }, 'first is %s', String(list[0]));
  ctx.progress(1, 2);
  ctx.progress(2, 2);
  return list.length;
});

/**
 * A columnar table of numbers, a class instance like a DataFrame: it does not survive structured
 * clone as itself, so an executor off the runner's thread must move it with the data type's
 * `encode`/`decode`, and modes split it with `rows`/`chunks` and rebuild it with `fromRows`/`concat`.
 */
export class ContractTable {
  readonly columns: Readonly<Record<string, number[]>>;
  constructor(columns: Record<string, number[]>) {
    this.columns = columns;
  }
  get numRows(): number {
    return Object.values(this.columns)[0]?.length ?? 0;
  }
  toRows(): Record<string, number>[] {
    const names = Object.keys(this.columns);
    return Array.from({ length: this.numRows }, (_, i) =>
      Object.fromEntries(names.map((name) => [name, this.columns[name]?.[i] ?? 0])),
    );
  }
  static fromRows(rows: readonly Record<string, number>[], names?: readonly string[]): ContractTable {
    const keys = names ?? Object.keys(rows[0] ?? {});
    return new ContractTable(Object.fromEntries(keys.map((name) => [name, rows.map((row) => row[name] ?? 0)])));
  }
}

const tableText = new TextEncoder();
const tableBytes = new TextDecoder();

/** The data type of {@link ContractTable}s. */
export const ContractTableType = dataType<ContractTable>({
  name: 'ContractTable',
  is: (value): value is ContractTable => value instanceof ContractTable,
  encode: (table) => tableText.encode(JSON.stringify(table.columns)),
  decode: (bytes) => new ContractTable(JSON.parse(tableBytes.decode(bytes)) as Record<string, number[]>),
  preview: (table) => table.toRows().slice(0, 5),
  size: (table) => ({ rows: table.numRows }),
  rows: (table) => table.toRows(),
  fromRows: (rows, like) =>
    ContractTable.fromRows(
      rows as Record<string, number>[],
      like === undefined ? undefined : Object.keys(like.columns),
    ),
  chunks: function* (table, size) {
    const rows = table.toRows();
    for (let i = 0; i < rows.length; i += size)
      yield ContractTable.fromRows(rows.slice(i, i + size), Object.keys(table.columns));
  },
  concat: (tables) =>
    ContractTable.fromRows(
      tables.flatMap((table) => table.toRows()),
      Object.keys(tables[0]?.columns ?? {}),
    ),
});

const table = { inputType: 'ContractTable', outputType: 'ContractTable' } as const;

/** batch over a table: adds column `total` = a + b. */
export const cTableTotal = stepType({ slug: 'c_table_total', ...table }, (input) => {
  const t = input as ContractTable;
  const a = t.columns.a ?? [];
  const b = t.columns.b ?? [];
  return new ContractTable({ ...t.columns, total: a.map((v, i) => v + (b[i] ?? 0)) });
});

/** row_iterative over a table: doubles `a` in every row. */
export const cTableRows = stepType({ slug: 'c_table_rows', ...table, mode: 'row_iterative' }, (row) => {
  const r = row as Record<string, number>;
  return { ...r, a: (r.a ?? 0) * 2 };
});

/** streaming over a table: keeps the rows whose `a` is even, chunk by chunk. */
export const cTableStream = stepType({ slug: 'c_table_stream', ...table, mode: 'streaming' }, async function* (chunks) {
  for await (const chunk of chunks) {
    const rows = (chunk as ContractTable).toRows().filter((row) => (row.a ?? 0) % 2 === 0);
    yield ContractTable.fromRows(rows, Object.keys((chunk as ContractTable).columns));
  }
});

/**
 * A registry of this module's own, not the default one: executors off the runner's thread must
 * find `c_custom_registry` through the registries the step modules export.
 */
export const contractOwnRegistry = new StepRegistry();

/** Registered only in {@link contractOwnRegistry}: triples a number. */
export const cCustomRegistry = stepType(
  { slug: 'c_custom_registry', ...io, mode: 'row_iterative', registry: contractOwnRegistry },
  (n) => (n as number) * 3,
);
