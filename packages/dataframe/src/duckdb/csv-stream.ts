import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnTable } from 'arquero';
import type { CsvColumnType } from '../csv/csv-columns.js';
import { peekCsvHeader } from '../csv/csv-header.js';
import { inferCsvTypes, readCsvChunks, readCsvFile } from '../csv/csv-reader.js';
import { ownValue } from '../data-type/column-names.js';
import { dataFrameChunks } from '../data-type/dataframe-type.js';
import { type CsvPlan, type CsvRelationOptions, planCsvRelation } from './csv-relation.js';
import { openDuckDB } from './duckdb-tables.js';
import { ChunkTables } from './materialize.js';

/** How {@link readCsvChunksFast} reads a file. */
export interface CsvChunksOptions extends CsvRelationOptions {
  /** Rows per table (default 10,000); the last may have fewer. */
  chunkRows?: number;
  /** Files smaller than this are read whole by the JavaScript reader, then cut (default 1 MiB, as `readCsvFast`; tests set 0). */
  minDuckDBBytes?: number;
}

const MIN_DUCKDB_BYTES = 1 << 20;
/** The rows a number column is first made for (it grows past them): a chunk's, up to this. */
const MAX_CAPACITY = 1 << 16;

/**
 * Reads a CSV file as tables of `chunkRows` rows with the columns, kinds, values, nulls and row order
 * of `readCsvFast` (kinds inferred from every value unless given), holding about one table at a
 * time: DuckDB checks the kinds in one parallel pass (`planCsvRelation`), then its reader streams the
 * typed rows, read vector by vector into each table as the consumer asks for it. A file smaller than
 * `minDuckDBBytes` is read whole and cut; a file DuckDB cannot read as the JavaScript reader would
 * (a bad row, invalid UTF-8, a single column...) is streamed by the JavaScript reader, after a pass
 * that infers every column's kind, so its errors name the file and line before any table is out.
 * When `types` gives every column, DuckDB reads the file once, and an error (a value that does not
 * fit, a bad row) comes, with its line, when the stream reaches it.
 * Always at least one table, maybe empty. When `signal` aborts, DuckDB's query is interrupted and
 * the next table rejects.
 * @param path the file's absolute path, resolved under the data root (DuckDB is confined to it)
 * @throws StepwiseError `CSV_INVALID` naming the file and line
 */
export async function* readCsvChunksFast(path: string, options: CsvChunksOptions = {}): AsyncGenerator<ColumnTable> {
  const chunkRows = Math.max(1, Math.floor(options.chunkRows ?? 10_000));
  const { size } = await stat(path);
  if (size < (options.minDuckDBBytes ?? MIN_DUCKDB_BYTES)) {
    yield* dataFrameChunks(await readCsvFile(path, options), chunkRows);
    return;
  }
  let kinds: Record<string, CsvColumnType> | undefined;
  let done = 0;
  // an error thrown into the generator where it waits for the consumer is the consumer's
  let waiting = false;
  const { connection, close } = await openDuckDB(options.signal);
  try {
    const plan = await planStream(connection, path, options);
    if ('relation' in plan) {
      kinds = Object.fromEntries(plan.relation.columns.map(({ name, kind }) => [name, kind]));
      for await (const table of streamTables(connection, plan.relation.sql, chunkRows, options.signal)) {
        done += table.numRows();
        waiting = true;
        yield table;
        waiting = false;
      }
      return;
    }
  } catch (error) {
    options.signal?.throwIfAborted();
    // DuckDB stopped at a value that does not fit its given type, a bad row, or a file that changed
    // since the check: the JavaScript reader goes on from the row reached and names the line
    if (kinds === undefined || waiting) throw error;
  } finally {
    close();
  }
  yield* javaScriptChunks(path, { ...options, chunkRows }, kinds, done);
}

/**
 * The relation to stream. When `types` gives every column's type there is nothing to infer: one
 * scan, whose casts fail at a value that does not fit (`guarded`), where the JavaScript reader takes
 * over. Otherwise every value is checked first, so the kinds are those of a whole read.
 */
async function planStream(connection: DuckDBConnection, path: string, options: CsvChunksOptions): Promise<CsvPlan> {
  const header = peekCsvHeader(path, options.delimiter);
  const given = header?.every((name) => ownValue(options.types, name) !== undefined);
  const guarded = given ? await planCsvRelation(connection, path, { ...options, guarded: true }) : undefined;
  // a file its sample holds whole is checked: its row count is compared with the sample's
  if (guarded && 'relation' in guarded && guarded.rows === undefined) return guarded;
  return planCsvRelation(connection, path, options);
}

/** A SELECT's rows, streamed by DuckDB, as tables of `chunkRows` rows (at least one, maybe empty). */
async function* streamTables(
  connection: DuckDBConnection,
  sql: string,
  chunkRows: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<ColumnTable> {
  const result = await connection.stream(sql);
  const tables = await ChunkTables.of(result, Math.min(chunkRows, MAX_CAPACITY));
  let rows = 0;
  let out = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    signal?.throwIfAborted();
    const n = chunk.rowCount;
    for (let start = 0; start < n; ) {
      const take = Math.min(n - start, chunkRows - rows);
      tables.add(chunk, start, take);
      start += take;
      rows += take;
      if (rows === chunkRows) {
        rows = 0;
        out++;
        yield tables.take();
        // the next table may come from the same vector, without a fetch that would see the abort
        signal?.throwIfAborted();
      }
    }
  }
  if (rows > 0 || out === 0) yield tables.take();
}

/**
 * The JavaScript reader's tables, with `kinds` (every column's kind, inferred from every value when
 * not given), from row `skip` on.
 */
async function* javaScriptChunks(
  path: string,
  options: CsvChunksOptions,
  kinds: Record<string, CsvColumnType> | undefined,
  skip: number,
): AsyncGenerator<ColumnTable> {
  const types = kinds ?? (await inferCsvTypes(path, options));
  let left = skip;
  for await (const table of readCsvChunks(path, { ...options, types })) {
    const n = table.numRows();
    if (left === 0) yield table;
    else if (left < n) yield table.slice(left).reify();
    left = Math.max(0, left - n);
  }
}
