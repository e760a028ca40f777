import type { FileHandle } from 'node:fs/promises';
import type { ColumnTable } from 'arquero';
import { toJsonSafe } from '../data-type/json-safe.js';

/** How a table is written as JSON. */
export interface JsonWriteOptions {
  /** `array` (the default) for `[{...},\n{...}]\n`, `ndjson` for one object per line. */
  format?: 'array' | 'ndjson';
  /** Text held before it is written (characters); tests make it small to cross many writes. */
  flushChars?: number;
}

/**
 * Text written at a time: small enough for V8's young generation. Writing the whole file as one
 * string made the row strings, their joined copy and its bytes live together, and the garbage
 * collector, not the formatting, took most of write_json's time.
 */
const FLUSH_CHARS = 1 << 16;

/** One cell as JSON text, as `JSON.stringify` writes it inside `toJsonSafe(row)` (a cell is at depth 1). */
function jsonCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(toJsonSafe(value, 1));
}

/**
 * Row `i` as `JSON.stringify(toJsonSafe(row))` of its row object (`df.objects()`), made cell by
 * cell without the object: the keys in the order an object has them (index-like names first), the
 * rows through the table's filter and order.
 */
export function jsonRows(df: ColumnTable): (row: number) => string {
  const names = df.columnNames();
  // an object literal's "__proto__" key sets the prototype: left to objects() itself
  if (names.includes('__proto__')) {
    const objects = df.objects() as Record<string, unknown>[];
    return (row) => JSON.stringify(toJsonSafe(objects[row]));
  }
  const probe: Record<string, number> = {};
  for (const name of names) probe[name] = 0;
  const keys = Object.keys(probe);
  if (keys.length === 0) return () => '{}';
  const getters = keys.map((name) => df.getter(name) as (row: number) => unknown);
  const prefixes = keys.map((name, i) => `${i === 0 ? '{' : ','}${JSON.stringify(name)}:`);
  return (row) => {
    let line = '';
    for (let c = 0; c < getters.length; c++)
      line += (prefixes[c] as string) + jsonCell((getters[c] as (row: number) => unknown)(row));
    return `${line}}`;
  };
}

/** Writes all of `text` at the file's position. */
async function writeText(handle: FileHandle, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; ) at += (await handle.write(bytes, at)).bytesWritten;
}

/**
 * Writes a table as a JSON array (`[` rows joined by `,\n` `]\n`) or as NDJSON (each row and `\n`)
 * to an open file, a block of text at a time.
 */
export async function writeJsonTo(handle: FileHandle, df: ColumnTable, options: JsonWriteOptions = {}): Promise<void> {
  const ndjson = options.format === 'ndjson';
  const flushChars = options.flushChars ?? FLUSH_CHARS;
  const row = jsonRows(df);
  const n = df.numRows();
  let text = ndjson ? '' : '[';
  for (let i = 0; i < n; i++) {
    if (ndjson) text += `${row(i)}\n`;
    else text += i === 0 ? row(i) : `,\n${row(i)}`;
    if (text.length >= flushChars) {
      await writeText(handle, text);
      text = '';
    }
  }
  if (!ndjson) text += ']\n';
  await writeText(handle, text);
}
