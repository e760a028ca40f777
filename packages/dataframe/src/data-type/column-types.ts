import type { ColumnTable } from 'arquero';

/** The kind of values a column holds, as shown in previews and used by `cast`. */
export type ColumnKind = 'number' | 'integer' | 'string' | 'boolean' | 'date' | 'bigint' | 'object' | 'null';

/** The kind of one value. */
export function kindOf(value: unknown): ColumnKind {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'bigint') return 'bigint';
  if (value instanceof Date) return 'date';
  return 'object';
}

/**
 * The kind of a column, from its first non-null value (`null` when every value is null).
 * Mixed columns report the kind of the first value; previews do not scan whole columns.
 */
function columnKind(df: ColumnTable, name: string): ColumnKind {
  const column = df.column(name);
  if (!column) return 'null';
  const n = df.totalRows();
  for (let i = 0; i < n; i++) {
    const kind = kindOf(column.at(i));
    if (kind !== 'null') return kind;
  }
  return 'null';
}

/** Every column with its kind, in column order. */
export function describeColumns(df: ColumnTable): { name: string; type: ColumnKind }[] {
  return df.columnNames().map((name) => ({ name, type: columnKind(df, name) }));
}
