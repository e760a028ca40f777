// A CSV source in a query: DuckDB's reader with exactly the JavaScript reader's kinds, as csvRelation
// found them when the reading step ran (so the file is not checked again: its fingerprint is).

import type { CsvColumnType } from '../csv/csv-columns.js';
import { readCsvSql, typedSelect } from '../duckdb/csv-relation.js';
import type { LazySource, SqlType } from './lazy-plan.js';

const KINDS: Record<SqlType, CsvColumnType> = {
  DOUBLE: 'number',
  VARCHAR: 'string',
  BOOLEAN: 'boolean',
  TIMESTAMP: 'date',
};

/**
 * A SELECT of the CSV source's rows, its columns in order with their types; the number columns the
 * reading step's check parsed as DOUBLE (`doubles`) are parsed so again, the others read as text and
 * converted. Kinds guessed, not checked, are guarded: the query fails at a value that does not fit.
 */
export function csvSourceSql(source: Extract<LazySource, { kind: 'csv' }>): string {
  const columns = source.columns.map((c) => ({ name: c.name, kind: KINDS[c.type] }));
  const parsed = new Set(source.doubles ?? []);
  const doubles = new Set(
    source.columns.flatMap((column, c) => (column.type === 'DOUBLE' && parsed.has(column.name) ? [c] : [])),
  );
  const { delimiter, nullValues } = source;
  return typedSelect(readCsvSql(source.file.path, source.header, { delimiter, nullValues, doubles }), columns, {
    guarded: source.guessed === true,
    doubles,
  });
}
