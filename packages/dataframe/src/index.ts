/**
 * @stepwise/dataframe: the `DataFrame` data type (an Arquero table, Arrow-columnar) and the table
 * step library. Importing this package registers both in the default registry, and stays cheap:
 * Arquero loads when a step first needs a table in memory (a run whose tables all stay in DuckDB
 * never loads it), and a step's kernels, DuckDB helpers and pushdown planners when it first runs.
 * @example
 * import '@stepwise/dataframe';
 * wf.add('read_csv', { path: 'examples/data/sales.csv' }).add('clean_nulls', { threshold: 0.5 });
 * @packageDocumentation
 */

// Arquero, loaded on first use (`arquero()`; under tsx `loadArquero`, awaited by DataFrameType.load):
// step modules call `arquero()` rather than import 'arquero' at the top
export { type ArqueroModule, arquero, loadArquero } from './arquero/load-arquero.js';
// CSV reading and writing (streaming, with file and line in every error)
export type { CsvColumnType } from './csv/csv-columns.js';
export { CSV_INVALID } from './csv/csv-error.js';
export { type CsvReadOptions, readCsvChunks, readCsvFile } from './csv/csv-reader.js';
export { type CsvWriteOptions, toCsvText } from './csv/csv-writer.js';
// the DataFrame data type: column kinds, previews, JSON-safe values, rows and chunks
export { type ColumnKind, describeColumns } from './data-type/column-types.js';
export {
  concatDataFrames,
  type DataFrame,
  type DataFramePreview,
  type DataFrameRow,
  DataFrameType,
  dataFrameChunks,
  dataFrameFromRows,
  isLazy,
  previewDataFrame,
} from './data-type/dataframe-type.js';
export { toJsonSafe } from './data-type/json-safe.js';
// a DataFrame as Parquet bytes (a download), through DuckDB; and the pushdown's error codes: both
// without loading DuckDB's helpers or the pushdown runner
export { PushdownErrorCode, toParquetBytes } from './entry/deferred.js';
// expressions: the project's own expression language, parsed to a syntax tree (never to code)
export type { Expr } from './expressions/ast.js';
export {
  COLUMN_NOT_FOUND,
  expressionColumns,
  expressionProblem,
  expressionSchema,
  parseExpression,
} from './expressions/expression.js';
export { ExpressionError } from './expressions/lexer.js';
// files: the data root every path resolves under
export {
  checkOutputPath,
  configureFiles,
  FileErrorCode,
  type FilesConfig,
  filesConfig,
  resetFilesConfig,
  resolveDataPath,
  resolveInputPath,
  resolveOutputPath,
} from './files/data-root.js';
export { writeDataFile } from './files/write-data-file.js';
// pushdown: chains of built-in table steps run as one DuckDB query, each step's output a lazy table
export { LazyFrame } from './pushdown/lazy-frame.js';
export {
  configurePushdown,
  type PushdownConfig,
  pushdownConfig,
  resetPushdownConfig,
  warmPushdown,
} from './pushdown/pushdown-config.js';
export { PUSHDOWN_SOURCES, PUSHDOWN_STEPS, pushdownSegments, type SegmentStep } from './pushdown/pushdown-segments.js';
// the step types, one file per kind: aggregate, cleaning, columns, io, join, parquet, rows, sql
export { type AggregateOp, type AggregateSpec, aggregate, aggregateTable } from './steps/aggregate-step.js';
export { cleanNulls, dropNullRows, fillNulls } from './steps/cleaning-steps.js';
export { CAST_FAILED, type CastType, cast, dropColumns, rename, select } from './steps/column-steps.js';
export { JSON_INVALID, readCsv, readJson, writeCsv, writeJson } from './steps/io-steps.js';
export { type JoinHow, type JoinOptions, join, joinTables } from './steps/join-step.js';
export { readParquet, writeParquet } from './steps/parquet-steps.js';
export { dedupe, derive, filterRows, head, sample, sort } from './steps/row-steps.js';
export { SQL_FAILED, sql } from './steps/sql-step.js';
// the palette categories of the step types (`metadata.category`)
export type { StepCategory } from './steps/step-helpers.js';
// the streaming variants: read_csv, select, filter_rows, derive, aggregate and write_csv chunk by chunk
export {
  aggregateStream,
  deriveStream,
  filterRowsStream,
  readCsvStream,
  selectStream,
  writeCsvStream,
} from './steps/streaming-steps.js';
