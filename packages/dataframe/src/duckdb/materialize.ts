import type {
  DuckDBConnection,
  DuckDBDataChunk,
  DuckDBMaterializedResult,
  DuckDBResult,
  DuckDBValueConverter,
  DuckDBVector,
} from '@duckdb/node-api';
import type { ColumnTable } from 'arquero';
import { arquero } from '../arquero/load-arquero.js';
import { duckdb, fromSqlValue } from './duckdb-tables.js';
import { StringInterner } from './string-interner.js';

/** How a SELECT's result is read into a table. */
export interface MaterializeOptions {
  /** When it aborts, the read stops (a connection from `openDuckDB` also interrupts the query). */
  signal?: AbortSignal | undefined;
}

/**
 * Runs a SELECT and builds an Arquero table from its result, chunk by chunk, without an object per
 * row: DOUBLE, FLOAT and integer columns become numbers (a Float64Array when the column has no
 * null), BIGINTs that do not fit a double stay bigints, BOOLEAN booleans, TIMESTAMP and DATE
 * JavaScript Dates (a TIMESTAMP's microseconds cut toward zero, as `queryTable` cuts them),
 * VARCHAR strings (equal short strings are one string); other types are converted as `queryTable`
 * converts them. Nulls are null. Column names are DuckDB's, deduplicated.
 * @throws DuckDB's error for a query that fails; node-api's for a TIMESTAMP out of a Date's range
 * @example
 * const { connection, close } = await openDuckDB(signal);
 * const df = await materialize(connection, 'SELECT * FROM read_parquet(data_file(\'sales.parquet\'))');
 */
export async function materialize(
  connection: DuckDBConnection,
  sql: string,
  options: MaterializeOptions = {},
): Promise<ColumnTable> {
  options.signal?.throwIfAborted();
  return materializeResult(await connection.run(sql), options);
}

/**
 * {@link materialize} for a result already run (a prepared statement's). A materialized result is
 * read chunk by chunk synchronously: fetching each of a streamed result's chunks costs a trip
 * through Node's thread pool, more than copying it.
 */
export async function materializeResult(
  result: DuckDBResult | DuckDBMaterializedResult,
  options: MaterializeOptions = {},
): Promise<ColumnTable> {
  // a materialized result knows its size: columns are made at their length, never grown
  const tables = await ChunkTables.of(result, 'rowCount' in result ? result.rowCount : 4096);
  // rowCount asks DuckDB each time: once per chunk
  const take = (chunk: DuckDBDataChunk) => tables.add(chunk, 0, chunk.rowCount);
  if ('getChunk' in result) {
    for (let i = 0; i < result.chunkCount; i++) {
      if (i % 64 === 0) options.signal?.throwIfAborted();
      take(result.getChunk(i));
    }
  } else {
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      options.signal?.throwIfAborted();
      take(chunk);
    }
  }
  return tables.take();
}

/**
 * Tables of a result's rows, built as {@link materializeResult} builds one, from its chunks or parts
 * of them: a streamed result read as a table per so many rows (`duckdb/csv-stream.ts`).
 */
export class ChunkTables {
  readonly #names: string[];
  readonly #make: () => ColumnBuilder[];
  #builders: ColumnBuilder[];

  private constructor(names: string[], make: () => ColumnBuilder[]) {
    this.#names = names;
    this.#make = make;
    this.#builders = make();
  }

  /** Tables of `result`'s columns; `capacity` is the rows a number column is first made for. */
  static async of(result: DuckDBResult | DuckDBMaterializedResult, capacity: number): Promise<ChunkTables> {
    const names = result.deduplicatedColumnNames();
    const types = names.map((_, c) => result.columnTypeId(c));
    const converter = (await duckdb()).JSDuckDBValueConverter as DuckDBValueConverter<unknown>;
    return new ChunkTables(names, () => types.map((type) => builderFor(type, converter, capacity)));
  }

  /** Appends rows `start` to `start + n` (exclusive) of `chunk`. */
  add(chunk: DuckDBDataChunk, start: number, n: number): void {
    for (let c = 0; c < this.#builders.length; c++) (this.#builders[c] as ColumnBuilder).add(chunk, c, start, n);
  }

  /** The table of the rows added since the last take; the next rows go to new columns. */
  take(): ColumnTable {
    const data: Record<string, ArrayLike<unknown>> = {};
    this.#names.forEach((name, c) => {
      data[name] = (this.#builders[c] as ColumnBuilder).finish();
    });
    this.#builders = this.#make();
    return arquero().table(data, this.#names);
  }
}

/** The private fields of a node-api vector read here: typed items over DuckDB's memory and the validity mask. */
interface RawVector {
  items?: ArrayLike<number | bigint> & { length: number };
  dataView?: DataView;
  validity?: { data: BigUint64Array | null };
}

/** The validity bits of a vector as bytes (bit i of byte i >> 3), or null when every item is valid. */
function validityBytes(vector: DuckDBVector): Uint8Array | null {
  const data = (vector as unknown as RawVector).validity?.data;
  return data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;
}

const isValid = (bits: Uint8Array | null, i: number) => bits === null || ((bits[i >> 3] as number) >> (i & 7)) & 1;

/** Collects one column over the chunks. */
interface ColumnBuilder {
  /** Appends the `n` values from row `start` of column `column` of `chunk`. */
  add(chunk: DuckDBDataChunk, column: number, start: number, n: number): void;
  finish(): ArrayLike<unknown>;
}

/** DuckDB's type ids (DuckDBTypeId) of the columns read natively. */
const TYPE = {
  BOOLEAN: 1,
  TINYINT: 2,
  SMALLINT: 3,
  INTEGER: 4,
  BIGINT: 5,
  UTINYINT: 6,
  USMALLINT: 7,
  UINTEGER: 8,
  UBIGINT: 9,
  FLOAT: 10,
  DOUBLE: 11,
  TIMESTAMP: 12,
  DATE: 13,
  VARCHAR: 17,
} as const;

function builderFor(typeId: number, converter: DuckDBValueConverter<unknown>, capacity: number): ColumnBuilder {
  switch (typeId) {
    case TYPE.TINYINT:
    case TYPE.SMALLINT:
    case TYPE.INTEGER:
    case TYPE.UTINYINT:
    case TYPE.USMALLINT:
    case TYPE.UINTEGER:
    case TYPE.FLOAT:
    case TYPE.DOUBLE:
      return new NumberBuilder(capacity);
    case TYPE.BIGINT:
    case TYPE.UBIGINT:
      return new BigIntBuilder();
    case TYPE.BOOLEAN:
      return new BooleanBuilder();
    case TYPE.TIMESTAMP:
      return new TimestampBuilder();
    case TYPE.DATE:
      return new DateBuilder();
    case TYPE.VARCHAR:
      return new StringBuilder();
    default:
      return new ValueBuilder(converter);
  }
}

/** Numbers into a growing Float64Array; nulls noted, so that a column with nulls becomes an array with null. */
class NumberBuilder implements ColumnBuilder {
  values: Float64Array;
  rows = 0;
  nulls: number[] = [];

  constructor(capacity: number) {
    this.values = new Float64Array(capacity);
  }

  reserve(n: number): void {
    if (this.rows + n <= this.values.length) return;
    const grown = new Float64Array(Math.max(this.values.length * 2, this.rows + n));
    grown.set(this.values.subarray(0, this.rows));
    this.values = grown;
  }

  add(chunk: DuckDBDataChunk, column: number, start: number, n: number): void {
    const vector = chunk.getColumnVector(column);
    this.reserve(n);
    // a typed array of the vector's type (Float64Array, Int32Array, ...)
    const items = (vector as unknown as RawVector).items as Float64Array | undefined;
    if (items === undefined) throw new Error('materialize: a DuckDB number vector without items');
    this.values.set(start === 0 && items.length === n ? items : items.subarray(start, start + n), this.rows);
    this.noteNulls(validityBytes(vector), start, n);
    this.rows += n;
  }

  noteNulls(bits: Uint8Array | null, start: number, n: number): void {
    if (bits === null) return;
    for (let i = 0; i < n; i++) if (!isValid(bits, start + i)) this.nulls.push(this.rows + i);
  }

  finish(): ArrayLike<unknown> {
    const values = this.values.subarray(0, this.rows);
    if (this.nulls.length === 0) return values.length === this.values.length ? values : values.slice();
    // pushed in one pass, nulls in their places (Array.from iterates a typed array through its iterator)
    const out: (number | null)[] = [];
    const nulls = this.nulls;
    let k = 0;
    let next = nulls[0] as number;
    for (let i = 0; i < values.length; i++) {
      if (i === next) {
        out.push(null);
        next = k + 1 < nulls.length ? (nulls[++k] as number) : -1;
      } else out.push(values[i] as number);
    }
    return out;
  }
}

/** A column collected into an array (pushed: V8 makes a large `new Array(n)` a slow dictionary). */
abstract class ArrayBuilder<T> implements ColumnBuilder {
  values: T[] = [];

  abstract add(chunk: DuckDBDataChunk, column: number, start: number, n: number): void;

  finish(): ArrayLike<unknown> {
    return this.values;
  }
}

/** BIGINTs as numbers when every one fits a double exactly; a column with one that does not keeps that one a bigint. */
class BigIntBuilder extends ArrayBuilder<number | bigint | null> {
  add(chunk: DuckDBDataChunk, column: number, start: number, n: number): void {
    const vector = chunk.getColumnVector(column);
    const items = (vector as unknown as RawVector).items as ArrayLike<bigint>;
    const bits = validityBytes(vector);
    for (let i = start; i < start + n; i++) {
      if (!isValid(bits, i)) this.values.push(null);
      else {
        const big = items[i] as bigint;
        const asNumber = Number(big);
        this.values.push(Number.isSafeInteger(asNumber) ? asNumber : big);
      }
    }
  }
}

/** Booleans: DuckDB stores one byte each. */
class BooleanBuilder extends ArrayBuilder<boolean | null> {
  add(chunk: DuckDBDataChunk, column: number, start: number, n: number): void {
    const vector = chunk.getColumnVector(column);
    const view = (vector as unknown as RawVector).dataView as DataView;
    const bytes = new Uint8Array(view.buffer, view.byteOffset, start + n);
    const bits = validityBytes(vector);
    for (let i = start; i < bytes.length; i++) this.values.push(isValid(bits, i) ? bytes[i] !== 0 : null);
  }
}

/** The milliseconds a JavaScript Date holds, either way of 1970. */
const MAX_DATE_MILLIS = 8_640_000_000_000_000;

/**
 * TIMESTAMPs (int64 microseconds since 1970) as Dates, exactly as node-api converts them: the
 * microseconds cut toward zero (-1,500 µs is -1 ms, -500 µs is 1970-01-01), and a timestamp out of
 * a Date's range (`infinity`) fails with node-api's error.
 */
class TimestampBuilder extends ArrayBuilder<Date | null> {
  add(chunk: DuckDBDataChunk, column: number, start: number, n: number): void {
    const vector = chunk.getColumnVector(column);
    const items = (vector as unknown as RawVector).items as BigInt64Array;
    const words = new Int32Array(items.buffer, items.byteOffset, items.length * 2);
    const bits = validityBytes(vector);
    for (let i = start; i < start + n; i++) {
      if (!isValid(bits, i)) this.values.push(null);
      else {
        const high = words[2 * i + 1] as number;
        // under 2^52 µs (1827 to 2112) the two 32-bit halves make the exact number, without a BigInt per value
        if (Math.abs(high) < 1 << 20) {
          const micros = high * 4294967296 + ((words[2 * i] as number) >>> 0);
          // % keeps the sign of the dividend: the quotient is cut toward zero, and exact
          this.values.push(new Date((micros - (micros % 1000)) / 1000));
        } else this.values.push(farTimestamp(items[i] as bigint));
      }
    }
  }
}

function farTimestamp(micros: bigint): Date {
  const millis = Number(micros / 1000n);
  if (Math.abs(millis) > MAX_DATE_MILLIS) throw new Error(`TIMESTAMP value out of range for JS Date: ${micros} micros`);
  return new Date(millis);
}

/** DATEs (int32 days since 1970) as Dates at midnight UTC. */
class DateBuilder extends ArrayBuilder<Date | null> {
  add(chunk: DuckDBDataChunk, column: number, start: number, n: number): void {
    const vector = chunk.getColumnVector(column);
    const items = (vector as unknown as RawVector).items as Int32Array;
    const bits = validityBytes(vector);
    for (let i = start; i < start + n; i++) {
      this.values.push(isValid(bits, i) ? new Date((items[i] as number) * 86_400_000) : null);
    }
  }
}

/** VARCHARs: strings of up to 12 bytes (stored inside DuckDB's 16-byte entry) are interned, longer ones decoded by node-api. */
class StringBuilder extends ArrayBuilder<string | null> {
  interner = new StringInterner();

  add(chunk: DuckDBDataChunk, column: number, start: number, n: number): void {
    const vector = chunk.getColumnVector(column);
    const view = (vector as unknown as RawVector).dataView as DataView;
    const bits = validityBytes(vector);
    if (view.byteOffset % 4 !== 0) {
      for (let i = start; i < start + n; i++) this.values.push(vector.getItem(i) as string | null);
      return;
    }
    const words = new Uint32Array(view.buffer, view.byteOffset, (start + n) * 4);
    const bytes = new Uint8Array(view.buffer, view.byteOffset, (start + n) * 16);
    for (let i = start; i < start + n; i++) {
      if (!isValid(bits, i)) this.values.push(null);
      else if ((words[4 * i] as number) <= 12) this.values.push(this.interner.intern(words, bytes, i));
      else this.values.push(vector.getItem(i) as string);
    }
  }
}

/** Any other type: node-api's JavaScript conversion (as `queryTable`'s), BIGINTs that fit made numbers. */
class ValueBuilder extends ArrayBuilder<unknown> {
  constructor(readonly converter: DuckDBValueConverter<unknown>) {
    super();
  }

  add(chunk: DuckDBDataChunk, column: number, start: number, n: number): void {
    const values = chunk.convertColumnValues(column, this.converter);
    for (let i = start; i < start + n; i++) this.values.push(fromSqlValue(values[i]));
  }
}
