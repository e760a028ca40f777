import type { FileHandle } from 'node:fs/promises';
import type { ColumnTable } from 'arquero';

/** How a table is written as CSV. */
export interface CsvWriteOptions {
  delimiter?: string;
  /** Write the header line (default true). */
  header?: boolean;
}

/**
 * Text yielded at a time (characters): small enough for V8's young generation, so a block's row
 * strings die young instead of a 10,000-row array of lines and its joined copy being promoted.
 */
const FLUSH_CHARS = 1 << 16;

function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  // Dates at UTC midnight were most likely read as plain dates: write them back that way.
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** Whether a cell's text must be quoted: empty, or holding the delimiter, a quote or a line break. */
function quoteTest(delimiter: string): (text: string) => boolean {
  const special = new RegExp(`["\\n\\r]|${delimiter.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')}`);
  return (text) => text === '' || special.test(text);
}

/** One cell as CSV text, quoted when it must be. */
function formatCell(value: unknown, mustQuote: (text: string) => boolean): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
  else if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  else if (value instanceof Date) return formatDate(value);
  else text = JSON.stringify(value);
  return mustQuote(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header line, with a line ending. */
export function csvHeader(df: ColumnTable, delimiter = ','): string {
  const mustQuote = quoteTest(delimiter);
  return `${df
    .columnNames()
    .map((name) => formatCell(name, mustQuote))
    .join(delimiter)}\n`;
}

/** Yields the table's rows as CSV text (no header), each row ending with a line break, in blocks of whole rows. */
export function* csvBlocks(df: ColumnTable, delimiter = ',', flushChars = FLUSH_CHARS): Generator<string> {
  const mustQuote = quoteTest(delimiter);
  // A getter takes the row number as seen through the table's filter and order.
  const getters = df.columnNames().map((name) => df.getter(name) as (row: number) => unknown);
  const last = getters.length - 1;
  const n = df.numRows();
  let text = '';
  for (let row = 0; row < n; row++) {
    if (last === -1) text += '\n';
    for (let c = 0; c <= last; c++) {
      text += formatCell((getters[c] as (row: number) => unknown)(row), mustQuote);
      text += c === last ? '\n' : delimiter;
    }
    if (text.length >= flushChars) {
      yield text;
      text = '';
    }
  }
  if (text !== '') yield text;
}

/** Writes a table as CSV to an open file, block by block. */
export async function writeCsvTo(handle: FileHandle, df: ColumnTable, options: CsvWriteOptions = {}): Promise<void> {
  const delimiter = options.delimiter ?? ',';
  if (options.header !== false) await handle.write(csvHeader(df, delimiter));
  for (const block of csvBlocks(df, delimiter)) await handle.write(block);
}

/** A whole table as one CSV string (for small tables and tests). */
export function toCsvText(df: ColumnTable, options: CsvWriteOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  return (options.header !== false ? csvHeader(df, delimiter) : '') + [...csvBlocks(df, delimiter)].join('');
}
