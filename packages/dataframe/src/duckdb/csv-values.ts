// The JavaScript reader's value rules (csv/csv-columns.ts) as SQL over a text column: whether a text
// reads as a kind, and its value when it does.
import { CSV_PATTERNS, type CsvColumnType } from '../csv/csv-columns.js';
import { dateMillisSql, dateValidSql } from './csv-dates.js';
import { quoteLiteral } from './duckdb-tables.js';

const NUMBER_SQL = quoteLiteral(CSV_PATTERNS.number);

/** SQL that is true when text `column` is true or false in any case (null for a null); lower() only for texts not already in lower case. */
function booleanFitsSql(column: string): string {
  // not RE2's (?i), which folds more than JavaScript's /i does
  return `CASE WHEN ${column} IN ('true', 'false') THEN true ELSE lower(${column}) IN ('true', 'false') END`;
}

/** SQL that is true when the text of column `c<c>` reads as `kind` (null for a null). */
export function fitsSql(c: number, kind: CsvColumnType): string {
  const column = `c${c}`;
  switch (kind) {
    case 'number':
      return `regexp_full_match(${column}, ${NUMBER_SQL})`;
    case 'boolean':
      return booleanFitsSql(column);
    case 'date':
      return dateValidSql(c);
    default:
      return 'true';
  }
}

/** SQL converting the text of column `c<c>` to `kind`, as the JavaScript reader converts each value. */
export function convertSql(c: number, kind: CsvColumnType): string {
  const column = `c${c}`;
  switch (kind) {
    case 'number':
      // the cast gives JavaScript's value for every text the pattern accepts, ±Infinity for an
      // overflow too; the coalesce keeps that true of a DuckDB whose cast would fail there instead
      return `coalesce(TRY_CAST(${column} AS DOUBLE), CASE WHEN ${column} IS NULL THEN NULL WHEN starts_with(${column}, '-') THEN '-inf'::DOUBLE ELSE 'inf'::DOUBLE END)`;
    case 'boolean':
      return `CASE WHEN ${column} = 'true' THEN true WHEN ${column} = 'false' THEN false ELSE lower(${column}) = 'true' END`;
    case 'date':
      return `epoch_ms(${dateMillisSql(c)})`;
    default:
      return column;
  }
}
