import { CSV_PATTERNS } from '../csv/csv-columns.js';
import { quoteLiteral } from './duckdb-tables.js';

/** The names of the date pattern's groups, in order. */
const PARTS = ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z', 'sg', 'oh', 'om'] as const;

/**
 * `source` with, for each column index in `columns`, a struct `p<i>` of the ISO date pattern's
 * groups in text column `c<i>` (all empty when it does not match), for {@link dateValidSql} and
 * {@link dateMillisSql}: the pattern runs once per value.
 */
export function withDateParts(source: string, columns: readonly number[]): string {
  if (columns.length === 0) return source;
  const pattern = quoteLiteral(`^${CSV_PATTERNS.date}$`);
  const names = `[${PARTS.map((p) => `'${p}'`).join(', ')}]`;
  const parts = columns.map((c) => `regexp_extract(c${c}, ${pattern}, ${names}) AS p${c}`);
  return `(SELECT *, ${parts.join(', ')} FROM ${source})`;
}

/** The groups read as integers. */
const INT_PARTS = ['y', 'mo', 'd', 'h', 'mi', 's', 'oh', 'om'] as const;

/** The integer groups of parts struct `p` as SQL, each 0 when its group is absent. */
function dateParts(p: string): Record<(typeof INT_PARTS)[number], string> {
  const entries = INT_PARTS.map((part) => [part, `coalesce(TRY_CAST(${p}.${part} AS BIGINT), 0)`]);
  return Object.fromEntries(entries) as Record<(typeof INT_PARTS)[number], string>;
}

/**
 * SQL that is true when the text whose parts are `p` is a date JavaScript's `Date` accepts (as the
 * reader's `parseDate`): month 1-12, day 1-31 in any month (the 31st of April is the 1st of May),
 * hour up to 24 only as 24:00 with no seconds, minutes and seconds up to 59, offsets up to 23:59.
 * Null for a null text.
 */
export function dateValidSql(c: number): string {
  const p = `p${c}`;
  const { mo, d, h, mi, s, oh, om } = dateParts(p);
  return `CASE WHEN c${c} IS NULL THEN NULL ELSE (${p}.y <> '' AND ${mo} BETWEEN 1 AND 12 AND ${d} BETWEEN 1 AND 31 AND ${h} <= 24 AND ${mi} <= 59 AND ${s} <= 59 AND (${h} < 24 OR (${mi} = 0 AND ${s} = 0 AND ltrim(${p}.f, '0') = '')) AND ${oh} <= 23 AND ${om} <= 59) END`;
}

/**
 * SQL for the milliseconds since 1970 of a valid date whose parts are `p`, as JavaScript computes
 * them: no offset is UTC, a fraction is cut to milliseconds, a day past the month's end rolls over.
 * Days from the civil date by Howard Hinnant's algorithm, shifted 400 years so that every division is
 * of a non-negative number.
 */
export function dateMillisSql(c: number): string {
  const p = `p${c}`;
  const { y, mo, d, h, mi, s, oh, om } = dateParts(p);
  const yy = `(${y} + 400 - CASE WHEN ${mo} <= 2 THEN 1 ELSE 0 END)`;
  const era = `(${yy} // 400)`;
  const yoe = `(${yy} - ${era} * 400)`;
  const doy = `((153 * ((${mo} + 9) % 12) + 2) // 5 + ${d} - 1)`;
  const doe = `(${yoe} * 365 + ${yoe} // 4 - ${yoe} // 100 + ${doy})`;
  const days = `(${era} * 146097 + ${doe} - 719468 - 146097)`;
  const fraction = `CASE WHEN ${p}.f = '' THEN 0 ELSE CAST(rpad(left(${p}.f, 3), 3, '0') AS BIGINT) END`;
  const offset = `CASE WHEN ${p}.sg = '-' THEN -1 ELSE 1 END * (${oh} * 60 + ${om})`;
  const millis = `${days} * 86400000 + ${h} * 3600000 + ${mi} * 60000 + ${s} * 1000 + ${fraction} - ${offset} * 60000`;
  return `CASE WHEN c${c} IS NULL THEN NULL ELSE ${millis} END`;
}
