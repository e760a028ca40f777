// Names in the SQL a lazy plan renders to: quoted identifiers and the hidden row number column.

/** A quoted SQL identifier. */
export const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The hidden column that carries row order where DuckDB would not keep it. */
export const ROW_COLUMN = '__stepwise_row';
