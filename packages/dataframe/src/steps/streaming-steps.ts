import { open } from 'node:fs/promises';
import { type FileReference, type InferFunction, type StepType, stepType } from '@stepwise/core/define';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { csvBlocks, csvHeader } from '../csv/csv-writer.js';
import { resolveInputPath } from '../files/data-root.js';
import { writeDataFile } from '../files/write-data-file.js';
import { AggregateFold } from './aggregate-fold.js';
import { aggregateParams, inferAggregate } from './aggregate-step.js';
import { inferSelect, selectColumns, selectParams } from './column-steps.js';
import { csvReadParams, csvWriteParams, inferCsvColumns } from './io-steps.js';
import { deriveStreamParams, filterStreamParams, inferDerive, inferFilter } from './row-steps.js';
import { noteWrittenFile } from './shape-checks.js';
import { fileReference, pathFiles, READS_PATH, type StepCategory, WRITES_PATH } from './step-helpers.js';

/** Reads a CSV file chunk by chunk, with memory bounded by the chunk size. */
export const readCsvStream = stepType(
  {
    slug: 'read_csv_stream',
    name: 'Read CSV (streaming)',
    description:
      'Read a CSV file as a stream of tables of at most chunkRows rows, with bounded memory: for files larger than memory. The same columns, types and values as read_csv: types (number, boolean, ISO date, string) are inferred from every value unless given; ragged rows, unterminated quotes and invalid UTF-8 fail with the file and line.',
    params: z.object({
      ...csvReadParams,
      chunkRows: z.number().int().min(1).default(10_000).describe('Rows per chunk.'),
    }),
    outputType: 'DataFrame',
    mode: 'streaming',
    metadata: READS_PATH,
    infer: (params, _inputs, context) => inferCsvColumns(params, context),
    files: pathFiles,
  },
  async function* (_input, params, ctx) {
    const path = await resolveInputPath(params.path);
    // DuckDB's helpers load when the step first runs, not with the package
    const { readCsvChunksFast } = await import('../duckdb/csv-stream.js');
    let rows = 0;
    for await (const chunk of readCsvChunksFast(path, { ...params, displayName: params.path, signal: ctx.signal })) {
      rows += chunk.numRows();
      ctx.progress(rows);
      yield chunk;
    }
  },
);

/** A chunk's table, or the promise of it (a map whose code is imported on first use). */
type Mapped = ColumnTable | Promise<ColumnTable>;

async function* mapChunks(chunks: AsyncIterable<ColumnTable>, map: (chunk: ColumnTable) => Mapped) {
  for await (const chunk of chunks) yield map(chunk);
}

/** What a chunk-by-chunk step declares: its names, params and palette category. */
interface ChunkStepDefinition<P extends z.ZodType> {
  slug: string;
  name: string;
  description: string;
  params: P;
  category: StepCategory;
  /** The same validation hook as the batch step's. */
  infer: InferFunction<z.output<P>>;
}

/** A streaming DataFrame → DataFrame step that runs a batch table function on each chunk as it arrives. */
function chunkStep<P extends z.ZodType>(
  { category, ...definition }: ChunkStepDefinition<P>,
  map: (chunk: ColumnTable, params: z.output<P>) => Mapped,
): StepType<P, 'DataFrame', 'DataFrame', 'streaming'> {
  return stepType<P, 'DataFrame', 'DataFrame', 'streaming'>(
    { ...definition, inputType: 'DataFrame', outputType: 'DataFrame', mode: 'streaming', metadata: { category } },
    (chunks, params) => mapChunks(chunks, (chunk) => map(chunk, params)),
  );
}

/** `select`, chunk by chunk. */
export const selectStream = chunkStep(
  {
    slug: 'select_stream',
    name: 'Select columns (streaming)',
    description: 'Keep only the named columns of each chunk, in the order given.',
    params: selectParams,
    category: 'columns',
    infer: inferSelect,
  },
  (chunk, { columns }) => selectColumns(chunk, columns, 'select_stream'),
);

/** The kernels of filter_rows and derive, imported when one first runs. */
const rowTables = () => import('./row-tables.js');

/** `filter_rows`, chunk by chunk. */
export const filterRowsStream = chunkStep(
  {
    slug: 'filter_rows_stream',
    name: 'Filter rows (streaming)',
    description:
      'Keep the rows of each chunk for which an expression is true (SQL null semantics, as filter_rows). Aggregates (op.mean, op.sum, ...) are refused: they would see one chunk only.',
    params: filterStreamParams,
    category: 'rows',
    infer: inferFilter,
  },
  (chunk, { where }) => rowTables().then((rows) => rows.filterTable(chunk, where, 'filter_rows_stream')),
);

/** `derive`, chunk by chunk (row expressions only: an aggregate would see one chunk, not the table). */
export const deriveStream = chunkStep(
  {
    slug: 'derive_stream',
    name: 'Derive columns (streaming)',
    description:
      'Add or replace columns of each chunk with row expressions (SQL null semantics, as derive). Aggregates (op.mean, op.sum, ...) are refused: they would see one chunk only; use derive for those.',
    params: deriveStreamParams,
    category: 'rows',
    infer: inferDerive,
  },
  (chunk, { columns }) => rowTables().then((rows) => rows.deriveTable(chunk, columns, 'derive_stream')),
);

/**
 * `aggregate` over a stream: each chunk is folded into running counts, sums, means, minimums and
 * maximums per group as it arrives, so memory holds the groups, never the rows.
 */
export const aggregateStream = stepType(
  {
    slug: 'aggregate_stream',
    name: 'Aggregate (streaming)',
    description:
      "Group the rows of a stream and compute aggregates per group (as aggregate), folding each chunk into running totals as it arrives: memory holds one running state per group, not the rows (distinct_count keeps each group's distinct values). Outputs one table; the same groups, order and values as aggregate over all the rows.",
    params: aggregateParams,
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    mode: 'streaming',
    wholeStream: true,
    metadata: { category: 'aggregate' },
    infer: inferAggregate,
  },
  async function* (chunks, { groupBy, aggregates }) {
    const fold = new AggregateFold(groupBy, aggregates, 'aggregate_stream');
    for await (const chunk of chunks) fold.add(chunk);
    yield fold.result();
  },
);

/** Writes chunks to a CSV file as they arrive; yields one FileReference when done. */
export const writeCsvStream = stepType(
  {
    slug: 'write_csv_stream',
    name: 'Write CSV (streaming)',
    description:
      'Write chunks to a CSV file as they arrive (the header from the first chunk), then output one FileReference to the file.',
    params: csvWriteParams,
    inputType: 'DataFrame',
    outputType: 'FileReference',
    mode: 'streaming',
    wholeStream: true,
    metadata: WRITES_PATH,
    infer: ({ path }, _inputs, context) => noteWrittenFile(context, path),
  },
  async function* (chunks, params): AsyncGenerator<FileReference> {
    const path = await writeDataFile(params.path, async (file) => {
      const handle = await open(file, 'w');
      try {
        let first = true;
        for await (const chunk of chunks) {
          if (first && params.header) await handle.write(csvHeader(chunk, params.delimiter));
          first = false;
          for (const block of csvBlocks(chunk, params.delimiter)) await handle.write(block);
        }
      } finally {
        await handle.close();
      }
    });
    yield fileReference(path, 'text/csv');
  },
);
