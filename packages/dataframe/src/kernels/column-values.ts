import type { ColumnTable } from 'arquero';

/** The values of a column as something indexable by row: what `column.at(row)` returns, row by row. */
export type ColumnValues = ArrayLike<unknown>;

interface ArrowLikeColumn {
  at(row: number): unknown;
  toArray?: () => ArrayLike<unknown>;
}

/**
 * The values of a column, indexable by the table's underlying row numbers (filtered-out rows included).
 * Plain arrays and typed arrays are returned as they are; an Arrow column gives its `toArray()` (zero-copy
 * for one batch without nulls); anything else is copied through `at`. The values equal `column.at(row)`.
 */
export function columnValues(df: ColumnTable, name: string): ColumnValues {
  const column = df.column(name) as unknown;
  if (isArrayColumn(column)) return column;
  const arrow = column as ArrowLikeColumn;
  if (typeof arrow.toArray === 'function') return arrow.toArray();
  return Array.from({ length: df.totalRows() }, (_, row) => arrow.at(row));
}

/** True for a column stored as a plain array or a typed array (not an Arrow column). */
export function isArrayColumn(column: unknown): column is ColumnValues {
  return Array.isArray(column) || (ArrayBuffer.isView(column) && !(column instanceof DataView));
}
