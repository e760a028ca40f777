import type { FileHandle } from 'node:fs/promises';
import type { ColumnTable } from 'arquero';

/** How a table is written as CSV. */
export interface CsvWriteOptions {
  delimiter?: string;
  /** Write the header line (default true). */
  header?: boolean;
}

const BLOCK_ROWS = 10_000;

function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  // Dates at UTC midnight were most likely read as plain dates: write them back that way.
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
}

/** One cell as CSV text, quoted when it must be. */
function formatCell(value: unknown, delimiter: string): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
  else if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  else if (value instanceof Date) return formatDate(value);
  else text = JSON.stringify(value);
  const needsQuotes =
    text.includes(delimiter) || text.includes('"') || text.includes('\n') || text.includes('\r') || text === '';
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header line, with a line ending. */
export function csvHeader(df: ColumnTable, delimiter = ','): string {
  return `${df
    .columnNames()
    .map((name) => formatCell(name, delimiter))
    .join(delimiter)}\n`;
}

/** Yields the table's rows as CSV text in blocks (no header). */
export function* csvBlocks(df: ColumnTable, delimiter = ','): Generator<string> {
  const names = df.columnNames();
  // A getter takes the row number as seen through the table's filter and order.
  const getters = names.map((name) => df.getter(name));
  const n = df.numRows();
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const lines: string[] = [];
    const end = Math.min(n, start + BLOCK_ROWS);
    for (let row = start; row < end; row++) {
      lines.push(getters.map((get) => formatCell(get(row), delimiter)).join(delimiter));
    }
    yield `${lines.join('\n')}\n`;
  }
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
