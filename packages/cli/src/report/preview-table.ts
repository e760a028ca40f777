import type { JsonValue } from '@stepwise/core';
import Table from 'cli-table3';
import type { Colors } from '../view/format.js';

/** What `preview` shows of a value: its data type, size, columns with their types, and first rows. */
export interface ValuePreview {
  ref: string;
  type: string;
  rows?: number;
  bytes?: number;
  /** Columns with their kinds, for a table (a DataFrame, or a JSON array of objects). */
  columns?: { name: string; type: string }[];
  /** The first rows, for a table. */
  head?: Record<string, JsonValue>[];
  /** The preview of anything else (a JSON object, a text, a file reference). */
  value?: JsonValue;
}

const isObject = (value: unknown): value is Record<string, JsonValue> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The kind of a JSON value, as a DataFrame's column types say it. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' ? 'object' : typeof value;
}

/**
 * A preview from a data type's own `preview(value, n)`: a DataFrame's `{ columns, rows, head }`, a JSON
 * array (of objects: a table; of anything else: one `value` column), or any other value as it is.
 */
export function toValuePreview(
  base: { ref: string; type: string; rows?: number; bytes?: number },
  preview: unknown,
): ValuePreview {
  if (isObject(preview) && Array.isArray(preview.columns) && Array.isArray(preview.head)) {
    const rows = typeof preview.rows === 'number' ? preview.rows : base.rows;
    return {
      ...base,
      ...(rows === undefined ? {} : { rows }),
      columns: preview.columns as ValuePreview['columns'] & object,
      head: preview.head as Record<string, JsonValue>[],
    };
  }
  if (!Array.isArray(preview)) return { ...base, value: preview as JsonValue };
  const items = preview as JsonValue[];
  const head: Record<string, JsonValue>[] = items.every(isObject) ? items : items.map((value) => ({ value }));
  const names = [...new Set(head.flatMap((row) => Object.keys(row)))];
  const columns = names.map((name) => ({ name, type: kindOf(head.find((row) => row[name] != null)?.[name]) }));
  return { ...base, columns, head };
}

/** A cell as text: numbers and text as they are, null as `null`, anything else as JSON; long text cut. */
function cell(value: JsonValue | undefined, c: Colors): string {
  if (value === null || value === undefined) return c.dim('null');
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

/** The preview as lines: a table of the first rows under the column names and types, or the value as JSON. */
export function renderPreview(preview: ValuePreview, c: Colors, color: boolean): string[] {
  if (preview.columns === undefined || preview.head === undefined) {
    const text = JSON.stringify(preview.value, null, 2) ?? String(preview.value);
    const lines = text.split('\n');
    return lines.length > 40
      ? [...lines.slice(0, 40), c.dim(`… (${lines.length - 40} more lines; --json for all)`)]
      : lines;
  }
  const { columns, head } = preview;
  const table = new Table({
    head: columns.map((column) => `${column.name}\n${c.dim(column.type)}`),
    // compact: a rule under the names and types, none between rows
    style: { head: color ? ['cyan'] : [], border: color ? ['grey'] : [], compact: true },
    colAligns: columns.map((column) => (['number', 'integer', 'bigint'].includes(column.type) ? 'right' : 'left')),
  });
  for (const row of head) table.push(columns.map((column) => cell(row[column.name], c)));
  return [table.toString()];
}
