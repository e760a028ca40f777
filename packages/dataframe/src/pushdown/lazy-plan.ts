// The plan of a lazy DataFrame: where its rows come from (a file, with its fingerprint) and the
// pushed-down steps applied since, as plain JSON. It is what a lazy value stores (small, never rows),
// and it is rendered as one DuckDB query when something reads the value.

import type { CsvColumnType } from '../csv/csv-columns.js';

/** The column types a pushed-down table has: Stepwise's kinds (number, string, boolean, date) in DuckDB. */
export type SqlType = 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' | 'TIMESTAMP';

/** One column of a lazy table: its name and type. */
export interface LazyColumn {
  name: string;
  type: SqlType;
}

/** What a source file was when the plan was made: a changed file refuses to run the plan. */
export interface FileFingerprint {
  /** The absolute path, resolved under the data root. */
  path: string;
  size: number;
  mtimeMs: number;
}

/** Where a lazy table's rows come from. */
export type LazySource =
  | { kind: 'parquet'; file: FileFingerprint; display: string; columns: LazyColumn[] }
  | {
      kind: 'csv';
      file: FileFingerprint;
      display: string;
      header: string[];
      delimiter: string;
      nullValues: string[];
      columns: LazyColumn[];
      /** The number columns DuckDB's parser reads as DOUBLE (the reading step's check found it reads them as the reader does). */
      doubles?: string[];
      /**
       * The kinds were guessed from the file's first block, not checked against every value: the
       * query guards each value, and a plan that reads a value that does not fit is made again
       * (replays.ts). `types` are the reading step's given types.
       */
      guessed?: boolean;
      types?: Record<string, CsvColumnType>;
    };

/** One aggregate of a pushed-down `aggregate`: its function, column (none for a row count) and output name. */
export interface LazyAggregate {
  op: 'count' | 'sum' | 'mean' | 'min' | 'max';
  column?: string;
  as: string;
}

/** A pushed-down step: the step's id and type (for messages), its output columns, and what it does. */
export type LazyOp = { step: string; type: string; out: LazyColumn[] } & (
  | { op: 'filter'; where: string }
  | { op: 'derive'; columns: Record<string, string> }
  | { op: 'select'; columns: string[] }
  | { op: 'rename'; columns: Record<string, string> }
  | { op: 'head'; n: number }
  | { op: 'clean_nulls'; columns: string[]; keep: number }
  | { op: 'aggregate'; groupBy: string[]; aggregates: LazyAggregate[] }
  | { op: 'sort'; by: { column: string; descending: boolean }[] }
  | { op: 'cast'; columns: Record<string, LazyCast> }
  | { op: 'dedupe'; columns: string[] }
  | ({ op: 'join'; right: LazyPlan } & LazyJoin)
);

/**
 * One column's conversion by a pushed-down `cast`: `keep` (the value is already of the type),
 * `number` (a boolean as 0 or 1), `boolean` (a number: not 0), `text` (a boolean as 'true' or 'false'),
 * `not_nan` (a number, NaN becoming null), `trunc` (as not_nan, then truncated), `null` (no value
 * converts: all null, with onError "null").
 */
export type LazyCast = 'keep' | 'number' | 'boolean' | 'text' | 'not_nan' | 'trunc' | 'null';

/** A pushed-down `join`: the keys of each side and which rows it keeps; the output columns are the op's `out`. */
export interface LazyJoin {
  how: 'inner' | 'left' | 'right' | 'full';
  on: string[];
  rightOn: string[];
  /** Each output column: from the left or right side's column, or (full join) the left key, else the right one. */
  take: { side: 'left' | 'right' | 'key'; column: string; right?: string }[];
}

/** A lazy table's plan: its source and the steps since, in order. */
export interface LazyPlan {
  source: LazySource;
  ops: LazyOp[];
}
