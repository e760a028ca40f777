import type { ColumnTable } from 'arquero';
import { arquero } from '../arquero/load-arquero.js';

/** A column type a CSV value can be read as. */
export type CsvColumnType = 'number' | 'string' | 'boolean' | 'date';

/**
 * The patterns of the inference rules, without anchors or flags, so that the SQL reader
 * (`duckdb/csv-relation.ts`) matches exactly the same texts: a number; a boolean (any case); an ISO
 * date with groups year, month, day, then optionally hour, minute, second, fraction and an offset
 * (`Z`, or sign, hours, minutes).
 */
export const CSV_PATTERNS = {
  number: String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`,
  boolean: 'true|false',
  date: String.raw`(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))?)?`,
} as const;

const NUMBER = new RegExp(`^(?:${CSV_PATTERNS.number})$`);
const BOOLEAN = new RegExp(`^(?:${CSV_PATTERNS.boolean})$`, 'i');
// A date, optionally with a time (group 4 is its hour) and an offset (group 8).
const ISO_DATE = new RegExp(`^${CSV_PATTERNS.date}$`);

/**
 * An ISO date or date-time as a Date; undefined when it is not one. A date-time without an offset is
 * read as UTC, like a plain date: JavaScript would read it in the machine's time zone, so the same
 * file would give different instants on different machines.
 */
function parseDate(value: string): Date | undefined {
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const iso = value.replace(' ', 'T');
  const date = new Date(match[4] !== undefined && match[8] === undefined ? `${iso}Z` : iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The type a list of text values (nulls left out) reads as: number, boolean, date, else string. */
export function inferType(values: readonly (string | null)[]): CsvColumnType {
  return valuesType(values) ?? 'string';
}

/**
 * {@link inferType}, undefined when every value is null. No text fits two of number, boolean and
 * date, so the type of a column read in parts is the parts' type when they agree ({@link joinTypes}).
 */
export function valuesType(values: readonly (string | null)[]): CsvColumnType | undefined {
  let number = true;
  let boolean = true;
  let date = true;
  let seen = 0;
  for (const value of values) {
    if (value === null) continue;
    seen++;
    number &&= NUMBER.test(value);
    boolean &&= BOOLEAN.test(value);
    date &&= parseDate(value) !== undefined;
    if (!number && !boolean && !date) return 'string';
  }
  if (seen === 0) return undefined;
  return number ? 'number' : boolean ? 'boolean' : date ? 'date' : 'string';
}

/** The type of a column from the {@link valuesType} of two of its parts (undefined: no value yet). */
export function joinTypes(a: CsvColumnType | undefined, b: CsvColumnType | undefined): CsvColumnType | undefined {
  return a === undefined ? b : b === undefined || a === b ? a : 'string';
}

/** Converts one text value to a column type; undefined when it does not fit. */
function convertValue(value: string, type: CsvColumnType): unknown {
  switch (type) {
    case 'number':
      return NUMBER.test(value) ? Number(value) : undefined;
    case 'boolean':
      return BOOLEAN.test(value) ? value.toLowerCase() === 'true' : undefined;
    case 'date':
      return parseDate(value);
    default:
      return value;
  }
}

/** The index of the first value (not null) that does not read as `type`; -1 when every one does. */
export function firstMisfit(values: readonly (string | null)[], type: CsvColumnType): number {
  if (type === 'string') return -1;
  return values.findIndex((value) => value !== null && convertValue(value, type) === undefined);
}

/** Raw text columns (null for a null token) from records, column by column. */
export function transpose(
  records: readonly string[][],
  width: number,
  nullValues: ReadonlySet<string>,
): (string | null)[][] {
  const columns: (string | null)[][] = Array.from({ length: width }, () => new Array(records.length));
  for (let r = 0; r < records.length; r++) {
    const fields = records[r] as string[];
    for (let c = 0; c < width; c++) {
      const value = fields[c] as string;
      (columns[c] as (string | null)[])[r] = nullValues.has(value) ? null : value;
    }
  }
  return columns;
}

/** Where a value that does not fit its column's type is reported. */
export type BadValueHandler = (row: number, column: string, value: string, type: CsvColumnType) => never;

/** Builds a table from text columns, converting each to its type. */
export function buildTable(
  names: readonly string[],
  columns: (string | null)[][],
  types: readonly CsvColumnType[],
  onBadValue: BadValueHandler,
): ColumnTable {
  const data: Record<string, unknown[]> = {};
  names.forEach((name, c) => {
    const raw = columns[c] as (string | null)[];
    const type = types[c] ?? 'string';
    const values: unknown[] = type === 'string' ? raw : new Array(raw.length);
    if (type !== 'string') {
      for (let r = 0; r < raw.length; r++) {
        const text = raw[r];
        if (text === null || text === undefined) values[r] = null;
        else {
          const value = convertValue(text, type);
          values[r] = value === undefined ? onBadValue(r, name, text, type) : value;
        }
      }
    }
    data[name] = values;
  });
  return arquero().table(data, [...names]);
}
