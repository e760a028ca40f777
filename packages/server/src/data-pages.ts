import type { JsonValue } from '@stepwise/core';
import type { DataPage } from '@stepwise/core/model';
import {
  type DataFrame,
  DataFrameType,
  dataFrameFromRows,
  describeColumns,
  toCsvText,
  toJsonSafe,
  toParquetBytes,
} from '@stepwise/dataframe';
import { HttpError } from './http-error.js';

/** Most bytes of JSON one page of rows (or one non-table value) holds. */
export const MAX_PAGE_BYTES = 1024 * 1024;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);

function kindOf(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Rows `offset` to `offset + limit` of a value of data type `type`, as a page. */
export function pageOf(value: unknown, type: string, offset: number, limit: number): DataPage {
  if (type === 'DataFrame') return dataFramePage(value as DataFrame, offset, limit);
  if (Array.isArray(value)) return arrayPage(value, offset, limit);
  const json = toJsonSafe(value);
  const text = JSON.stringify(json) ?? 'null';
  if (text.length <= MAX_PAGE_BYTES) return { columns: [], rows: [], offset: 0, json };
  if (typeof json === 'string')
    return { columns: [], rows: [], offset: 0, json: json.slice(0, MAX_PAGE_BYTES), truncated: true };
  throw new HttpError(413, 'VALUE_TOO_LARGE', `The value is ${text.length} bytes as JSON; download it instead.`);
}

/**
 * Rows `offset` to `offset + limit` of a table of `total` rows, from `window.table`: its rows `start`
 * onwards (a kept part of a pushed-down query's result); the window must hold the page's rows.
 */
export function windowPage(
  window: { table: DataFrame; start: number; total: number },
  offset: number,
  limit: number,
): DataPage {
  return dataFramePage(window.table, offset, limit, window);
}

function dataFramePage(
  df: DataFrame,
  offset: number,
  limit: number,
  { start, total }: { start: number; total: number } = { start: 0, total: df.numRows() },
): DataPage {
  const columns = describeColumns(df);
  const names = columns.map((column) => column.name);
  const rows: JsonValue[][] = [];
  let bytes = 0;
  let truncated = false;
  for (let index = offset; index < Math.min(total, offset + limit); index++) {
    const row = names.map((name) => toJsonSafe(df.get(name, index - start)));
    bytes += JSON.stringify(row).length + 1;
    if (bytes > MAX_PAGE_BYTES && rows.length > 0) {
      truncated = true;
      break;
    }
    rows.push(row);
  }
  return { columns, rows, offset, total, ...(truncated ? { truncated } : {}) };
}

function arrayPage(items: unknown[], offset: number, limit: number): DataPage {
  const slice = items.slice(offset, offset + limit).map((item) => toJsonSafe(item));
  const tabular = slice.every(isRecord);
  const objects: Record<string, JsonValue>[] = tabular
    ? (slice as Record<string, JsonValue>[])
    : slice.map((value) => ({ value }));
  const names = [...new Set(objects.flatMap((row) => Object.keys(row)))];
  const columns = names.map((name) => ({
    name,
    type: kindOf(objects.find((row) => row[name] !== null && row[name] !== undefined)?.[name]),
  }));
  const rows: JsonValue[][] = [];
  let bytes = 0;
  let truncated = false;
  for (const object of objects) {
    const row = names.map((name) => object[name] ?? null);
    bytes += JSON.stringify(row).length + 1;
    if (bytes > MAX_PAGE_BYTES && rows.length > 0) {
      truncated = true;
      break;
    }
    rows.push(row);
  }
  return { columns, rows, offset, total: items.length, ...(truncated ? { truncated } : {}) };
}

/** The formats a value downloads as. */
export type DownloadFormat = 'csv' | 'json' | 'parquet' | 'arrow';

const MEDIA_TYPES: Record<DownloadFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
};

/**
 * A value as a file of `format`: a DataFrame (or a JSON list of objects) as CSV, JSON, Parquet or
 * Arrow IPC; any other value as JSON only.
 * @throws HttpError 400 `FORMAT_UNSUPPORTED` for a value that is not a table in a table format
 */
export async function download(
  value: unknown,
  type: string,
  format: DownloadFormat,
): Promise<{ body: string | Uint8Array; mediaType: string }> {
  const mediaType = MEDIA_TYPES[format];
  if (format === 'json') {
    const json =
      type === 'DataFrame' ? (value as DataFrame).objects().map((row) => toJsonSafe(row)) : toJsonSafe(value);
    return { body: JSON.stringify(json), mediaType };
  }
  const table = asTable(value, type);
  if (table === undefined)
    throw new HttpError(
      400,
      'FORMAT_UNSUPPORTED',
      `A ${type} value that is not a table downloads as JSON only (format=json), not ${format}.`,
    );
  if (format === 'csv') return { body: toCsvText(table), mediaType };
  if (format === 'arrow') return { body: DataFrameType.encode(table) as Uint8Array, mediaType };
  return { body: await toParquetBytes(table), mediaType };
}

function asTable(value: unknown, type: string): DataFrame | undefined {
  if (type === 'DataFrame') return value as DataFrame;
  if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) return dataFrameFromRows(value);
  return undefined;
}
