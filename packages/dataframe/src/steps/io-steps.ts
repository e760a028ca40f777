import { open, readFile } from 'node:fs/promises';
import {
  findJsonSyntaxError,
  type InferContext,
  type InferResult,
  StepwiseError,
  stepType,
} from '@stepwise/core/define';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { peekCsvHeader } from '../csv/csv-header.js';
import { checkColumnNames, REFUSED_COLUMN_NAME } from '../data-type/column-names.js';
import { dataFrameFromRows } from '../data-type/dataframe-type.js';
import { existingDataFileSync, resolveInputPath } from '../files/data-root.js';
import { writeDataFile } from '../files/write-data-file.js';
import { pushdownConfig } from '../pushdown/pushdown-config.js';
import { noteWrittenFile, writtenEarlier } from './shape-checks.js';
import { contentHashSchema, fileReference, pathFiles, pathSchema, READS_PATH, WRITES_PATH } from './step-helpers.js';

/** Error code of a JSON file that cannot be read as a table. */
export const JSON_INVALID = 'JSON_INVALID';

const csvTypes = z
  .record(z.string(), z.enum(['number', 'string', 'boolean', 'date']))
  .default({})
  .describe('Column types by column name; columns not listed are inferred from their values.');

/** Params shared by `read_csv` and `read_csv_stream`. */
export const csvReadParams = {
  path: pathSchema('The CSV file to read.'),
  delimiter: z.string().length(1).default(',').describe('The one-character field separator.'),
  nullValues: z.array(z.string()).default(['']).describe('Cell texts read as null, e.g. ["", "N/A"].'),
  types: csvTypes,
  contentHash: contentHashSchema,
};

/** Params shared by `write_csv` and `write_csv_stream`. */
export const csvWriteParams = z.object({
  path: pathSchema('The CSV file to write (replaced if it exists).'),
  delimiter: z.string().length(1).default(',').describe('The one-character field separator.'),
  header: z.boolean().default(true).describe('Write the column names as the first line.'),
});

/**
 * The columns a CSV read will have, from the header line of the file as it is now; unknown when the
 * file is missing, unreadable, outside the data root, or written by an earlier step of the workflow.
 */
export function inferCsvColumns(params: { path: string; delimiter: string }, context: InferContext): InferResult {
  if (writtenEarlier(context, params.path)) return {};
  const file = existingDataFileSync(params.path);
  const columns = file === undefined ? undefined : peekCsvHeader(file, params.delimiter);
  return { shape: columns ? { columns } : undefined };
}

/** Reads a CSV file (header line first) into a DataFrame. */
export const readCsv = stepType(
  {
    slug: 'read_csv',
    name: 'Read CSV',
    description:
      'Read a CSV file with a header line into a table. Types (number, boolean, ISO date, string) are inferred from every value unless given. Ragged rows, unterminated quotes and invalid UTF-8 fail with the file and line.',
    params: z.object(csvReadParams),
    outputType: 'DataFrame',
    metadata: READS_PATH,
    infer: (params, _inputs, context) => inferCsvColumns(params, context),
    files: pathFiles,
  },
  async (_input, params, ctx) => {
    const path = await resolveInputPath(params.path);
    const options = { ...params, displayName: params.path, signal: ctx.signal };
    // DuckDB's helpers and the CSV reader load when the step first runs, not with the package
    if (pushdownConfig().enabled) {
      const [{ openDuckDB }, { lazyCsv }] = await Promise.all([
        import('../duckdb/duckdb-tables.js'),
        import('../pushdown/lazy-sources.js'),
      ]);
      // opened only if the kinds guessed from the first block must be checked here
      let db: Awaited<ReturnType<typeof openDuckDB>> | undefined;
      const connect = async () => {
        db = db ?? (await openDuckDB(ctx.signal));
        return db.connection;
      };
      try {
        const lazy = await lazyCsv(connect, path, options);
        if (lazy) return lazy as unknown as ColumnTable;
      } finally {
        db?.close();
      }
    }
    const { readCsvFast } = await import('../duckdb/read-csv-fast.js');
    return readCsvFast(path, options);
  },
);

function parseJsonRows(text: string, file: string, format: 'auto' | 'array' | 'ndjson'): unknown[] {
  const kind = format === 'auto' ? (text.trimStart().startsWith('[') ? 'array' : 'ndjson') : format;
  const fail = (line: number, problem: string) =>
    new StepwiseError(JSON_INVALID, `${file}:${line}: ${problem}`, { details: { file, line } });
  if (kind === 'array') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // V8's messages often give no position: find the line and column ourselves
      const syntax = findJsonSyntaxError(text);
      const message = error instanceof Error ? error.message : String(error);
      if (!syntax) throw fail(1, `invalid JSON: ${message}`);
      throw fail(syntax.line, `invalid JSON at column ${syntax.column}: ${syntax.message}`);
    }
    if (!Array.isArray(parsed)) throw fail(1, 'expected an array of objects');
    return parsed;
  }
  // line by line without splitting: no array of a million line strings for the collector
  const rows: unknown[] = [];
  for (let at = 0, line = 1; at <= text.length; line++) {
    const end = text.indexOf('\n', at);
    const content = text.slice(at, end === -1 ? text.length : end);
    at = end === -1 ? text.length + 1 : end + 1;
    if (content.trim() === '') continue;
    try {
      rows.push(JSON.parse(content));
    } catch (error) {
      throw fail(line, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return rows;
}

/** Reads a JSON array of objects, or newline-delimited JSON (one object per line). */
export const readJson = stepType(
  {
    slug: 'read_json',
    name: 'Read JSON',
    description:
      'Read a JSON array of objects, or NDJSON (one object per line), into a table. Columns are the union of the keys.',
    params: z.object({
      path: pathSchema('The JSON or NDJSON file to read.'),
      format: z
        .enum(['auto', 'array', 'ndjson'])
        .default('auto')
        .describe('"array" for [{...}, ...], "ndjson" for one object per line; "auto" looks at the first character.'),
      contentHash: contentHashSchema,
    }),
    outputType: 'DataFrame',
    metadata: READS_PATH,
    files: pathFiles,
  },
  async (_input, params) => {
    const path = await resolveInputPath(params.path);
    const bytes = await readFile(path);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new StepwiseError(JSON_INVALID, `${params.path}: invalid UTF-8 (the file must be UTF-8 encoded)`);
    }
    const rows = parseJsonRows(text, params.path, params.format);
    const bad = rows.findIndex((row) => row === null || typeof row !== 'object' || Array.isArray(row));
    if (bad !== -1) throw new StepwiseError(JSON_INVALID, `${params.path}: item ${bad} is not an object`);
    const refused = rows.findIndex((row) => Object.hasOwn(row as object, REFUSED_COLUMN_NAME));
    if (refused !== -1) checkColumnNames([REFUSED_COLUMN_NAME], `${params.path}: item ${refused}`);
    return dataFrameFromRows(rows);
  },
);

/** Writes a DataFrame as CSV and outputs a reference to the file. */
export const writeCsv = stepType(
  {
    slug: 'write_csv',
    name: 'Write CSV',
    description:
      'Write the table as a CSV file (folders are created) and output a FileReference { path, mediaType } to it.',
    params: csvWriteParams,
    inputType: 'DataFrame',
    outputType: 'FileReference',
    metadata: WRITES_PATH,
    infer: ({ path }, _inputs, context) => noteWrittenFile(context, path),
  },
  async (df, params) => {
    const { writeCsvTo } = await import('../csv/csv-writer.js');
    const path = await writeDataFile(params.path, async (file) => {
      const handle = await open(file, 'w');
      try {
        await writeCsvTo(handle, df, params);
      } finally {
        await handle.close();
      }
    });
    return fileReference(path, 'text/csv');
  },
);

/** Writes a DataFrame as a JSON array or NDJSON and outputs a reference to the file. */
export const writeJson = stepType(
  {
    slug: 'write_json',
    name: 'Write JSON',
    description:
      'Write the table as a JSON array of objects or as NDJSON, and output a FileReference to it. Dates become ISO strings, NaN null.',
    params: z.object({
      path: pathSchema('The file to write (replaced if it exists).'),
      format: z
        .enum(['array', 'ndjson'])
        .default('array')
        .describe('"array" for [{...}], "ndjson" for one object per line.'),
    }),
    inputType: 'DataFrame',
    outputType: 'FileReference',
    metadata: WRITES_PATH,
    infer: ({ path }, _inputs, context) => noteWrittenFile(context, path),
  },
  async (df, params) => {
    const { writeJsonTo } = await import('../json/json-writer.js');
    const path = await writeDataFile(params.path, async (file) => {
      const handle = await open(file, 'w');
      try {
        await writeJsonTo(handle, df, { format: params.format });
      } finally {
        await handle.close();
      }
    });
    return fileReference(path, params.format === 'ndjson' ? 'application/x-ndjson' : 'application/json');
  },
);
