import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { ColumnTable } from 'arquero';
import { checkColumnNames, ownValue } from '../data-type/column-names.js';
import {
  buildTable,
  type CsvColumnType,
  firstMisfit,
  inferType,
  joinTypes,
  transpose,
  valuesType,
} from './csv-columns.js';
import { csvError } from './csv-error.js';
import { type CsvRecord, CsvSyntaxError, CsvTokenizer } from './csv-tokenizer.js';

/** How a CSV file is read. */
export interface CsvReadOptions {
  delimiter?: string;
  /** Text values read as null (default: the empty string). */
  nullValues?: readonly string[];
  /** Column types by name; other columns are inferred (from the whole file, or the first chunk when streaming). */
  types?: Readonly<Record<string, CsvColumnType>>;
  /** Rows per chunk for {@link readCsvChunks}. */
  chunkRows?: number;
  /** What the file is called in error messages (default: its base name). */
  displayName?: string;
  signal?: AbortSignal;
}

interface Batch {
  header: string[];
  records: CsvRecord[];
}

/** Lines of the decoded text before the first replacement character: where the bad bytes are. */
function badEncodingLine(bytes: Uint8Array, linesBefore: number): number {
  const text = new TextDecoder('utf-8').decode(bytes);
  const at = text.indexOf('\uFFFD');
  let line = linesBefore;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Records after the header, from text fed in pieces: each checked against the header's width. */
class RecordParser {
  header: string[] | undefined;
  records: CsvRecord[] = [];
  readonly #tokenizer: CsvTokenizer;
  readonly #name: string;

  constructor(name: string, delimiter: string) {
    this.#name = name;
    this.#tokenizer = new CsvTokenizer(delimiter);
  }

  /** Parses the next piece of text. @throws StepwiseError `CSV_INVALID` */
  push(text: string): void {
    this.#accept((out) => this.#tokenizer.push(text, out));
  }

  /** Ends the input (an unterminated quote fails here). @throws StepwiseError `CSV_INVALID` */
  end(): void {
    this.#accept((out) => this.#tokenizer.end(out));
  }

  /** Takes the first `n` records (all of them when fewer) as a batch. */
  take(n: number): Batch {
    return { header: this.header ?? [], records: this.records.splice(0, n) };
  }

  #accept(tokenize: (out: CsvRecord[]) => void): void {
    const out: CsvRecord[] = [];
    try {
      tokenize(out);
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw csvError(this.#name, error.line, error.message);
      throw error;
    }
    for (const record of out) {
      if (!this.header) {
        checkColumnNames(record.fields, `${this.#name}:${record.line}`);
        this.header = record.fields;
      } else if (record.fields.length === this.header.length) this.records.push(record);
      else {
        const found = record.fields.length;
        throw csvError(
          this.#name,
          record.line,
          `expected ${this.header.length} fields (as in the header), found ${found}`,
        );
      }
    }
  }
}

/**
 * Streams a CSV file as batches of `batchRows` records after the header (at least one batch, maybe
 * empty), checking encoding and widths.
 */
async function* readRecords(path: string, options: CsvReadOptions, batchRows: number): AsyncGenerator<Batch> {
  const name = options.displayName ?? basename(path);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parser = new RecordParser(name, options.delimiter ?? ',');
  let lines = 1;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20, signal: options.signal })) {
    const bytes = chunk as Buffer;
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw csvError(name, badEncodingLine(bytes, lines), 'invalid UTF-8 (the file must be UTF-8 encoded)');
    }
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    parser.push(text);
    while (parser.header && parser.records.length >= batchRows) yield parser.take(batchRows);
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw csvError(name, lines, 'invalid UTF-8 at the end of the file');
  }
  parser.push(rest);
  parser.end();
  do yield parser.take(batchRows);
  while (parser.records.length > 0);
}

function resolveTypes(header: string[], columns: (string | null)[][], given: CsvReadOptions['types']): CsvColumnType[] {
  return header.map((name, c) => ownValue(given, name) ?? inferType(columns[c] as (string | null)[]));
}

function toTable(
  batch: Batch,
  types: CsvColumnType[] | undefined,
  options: CsvReadOptions,
): { df: ColumnTable; types: CsvColumnType[] } {
  const { header, records } = batch;
  const columns = transpose(
    records.map((r) => r.fields),
    header.length,
    new Set(options.nullValues ?? ['']),
  );
  const resolved = types ?? resolveTypes(header, columns, options.types);
  const df = buildTable(header, columns, resolved, (row, column, value, type) => {
    throw badValue(options, records[row]?.line ?? 0, { column, value, type });
  });
  return { df, types: resolved };
}

/** The error of a value that does not read as its column's type. */
function badValue(options: CsvReadOptions, line: number, bad: { column: string; value: string; type: CsvColumnType }) {
  const { column, value, type } = bad;
  const why = ownValue(options.types, column) ? 'its type in "types"' : 'the type inferred from the first rows';
  return csvError(
    options.displayName ?? 'CSV',
    line,
    `value ${JSON.stringify(value)} in column "${column}" is not a ${type} (${why}); set it in "types" or "nullValues"`,
  );
}

/** Checks the header: no duplicate names. */
function checkHeader(header: string[], name: string): void {
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) throw csvError(name, 1, `duplicate column name "${column}" in the header`);
    seen.add(column);
  }
}

/**
 * Reads a CSV file as a stream of tables of at most `chunkRows` rows, with bounded memory.
 * Types are inferred from the first chunk and then fixed (give every type, e.g. from {@link inferCsvTypes}, to have those of a whole read).
 * @throws StepwiseError `CSV_INVALID` naming the file and line.
 */
export async function* readCsvChunks(path: string, options: CsvReadOptions = {}): AsyncGenerator<ColumnTable> {
  const named = { ...options, displayName: options.displayName ?? basename(path) };
  let types: CsvColumnType[] | undefined;
  let yielded = false;
  for await (const batch of readRecords(path, named, options.chunkRows ?? 10_000)) {
    if (!types) checkHeader(batch.header, named.displayName);
    if (batch.records.length === 0 && yielded) continue;
    const result = toTable(batch, types, named);
    types = result.types;
    yielded = true;
    yield result.df;
  }
}

/**
 * Reads a whole CSV file into one table; types are inferred from every value.
 * @throws StepwiseError `CSV_INVALID` naming the file and line.
 */
export async function readCsvFile(path: string, options: CsvReadOptions = {}): Promise<ColumnTable> {
  const named = { ...options, displayName: options.displayName ?? basename(path) };
  const all: CsvRecord[] = [];
  let header: string[] = [];
  for await (const batch of readRecords(path, named, Number.POSITIVE_INFINITY)) {
    header = batch.header;
    for (const record of batch.records) all.push(record);
  }
  checkHeader(header, named.displayName);
  return toTable({ header, records: all }, undefined, named).df;
}

/**
 * The type of every column of a CSV file as {@link readCsvFile} gives it (from every value, or as
 * `types` says, checked against every value), in one pass that keeps no rows: with them as `types`,
 * {@link readCsvChunks} streams the tables of a whole read, and a file it would fail fails here.
 * @throws StepwiseError `CSV_INVALID` naming the file and line.
 */
export async function inferCsvTypes(
  path: string,
  options: CsvReadOptions = {},
): Promise<Record<string, CsvColumnType>> {
  const named = { ...options, displayName: options.displayName ?? basename(path) };
  const nulls = new Set(options.nullValues ?? ['']);
  let header: string[] | undefined;
  let found: (CsvColumnType | undefined)[] = [];
  for await (const batch of readRecords(path, named, options.chunkRows ?? 10_000)) {
    if (!header) checkHeader(batch.header, named.displayName);
    header = batch.header;
    const columns = transpose(
      batch.records.map((r) => r.fields),
      header.length,
      nulls,
    );
    found = header.map((name, c) => {
      const values = columns[c] as (string | null)[];
      const given = ownValue(options.types, name);
      if (given === undefined) return joinTypes(found[c], valuesType(values));
      const bad = firstMisfit(values, given);
      const record = batch.records[bad];
      if (record) throw badValue(named, record.line, { column: name, value: values[bad] as string, type: given });
      return given;
    });
  }
  return Object.fromEntries((header ?? []).map((name, c) => [name, found[c] ?? 'string']));
}
