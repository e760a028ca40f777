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

/** A SELECT of the CSV source's rows, its columns in order with their types. */
export function csvSourceSql(source: Extract<LazySource, { kind: 'csv' }>): string {
  const columns = source.columns.map((c) => ({ name: c.name, kind: KINDS[c.type] }));
  return typedSelect(readCsvSql(source.file.path, source.header, source.delimiter, source.nullValues), columns);
}
