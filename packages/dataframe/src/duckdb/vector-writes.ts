import { createRequire } from 'node:module';

/** A DuckDB vector of a data chunk, as node-bindings hands it out. */
export type RawVector = { readonly __duckdbVector: unique symbol };
/** A DuckDB data chunk, as node-bindings hands it out (`DuckDBDataChunk.chunk`). */
export type RawChunk = object;

/** The few node-bindings calls that fill a data chunk's vectors from JavaScript memory. */
interface Bindings {
  data_chunk_get_vector(chunk: RawChunk, column: number): RawVector;
  copy_data_to_vector(vector: RawVector, at: number, source: ArrayBufferLike, offset: number, bytes: number): void;
  copy_data_to_vector_validity(
    vector: RawVector,
    at: number,
    source: ArrayBufferLike,
    offset: number,
    bytes: number,
  ): void;
  vector_ensure_validity_writable(vector: RawVector): void;
  vector_assign_string_element(vector: RawVector, index: number, text: string): void;
}

let bindings: Bindings | undefined;

/**
 * node-api's own node-bindings (resolved from node-api's folder, so the very module whose chunks
 * node-api makes): node-api's vectors copy the whole vector out on every `getColumnVector` and
 * write a string with one native call each, where a vector can be copied in at once.
 */
export function duckdbBindings(): Bindings {
  if (bindings === undefined) {
    const require = createRequire(import.meta.url);
    bindings = createRequire(require.resolve('@duckdb/node-api'))('@duckdb/node-bindings') as Bindings;
  }
  return bindings;
}

/** Bytes of a VARCHAR entry: a 4-byte length, then up to 12 bytes inline (else a prefix and a pointer). */
const ENTRY = 16;
const INLINE = 12;

/**
 * Fills vectors of up to `capacity` rows from JavaScript values, reusing its buffers chunk after
 * chunk: values and validity bits are built here and copied into the vector in one call each.
 */
export class VectorWriter {
  readonly #doubles: Float64Array;
  readonly #bytes: Uint8Array;
  readonly #entries: Uint8Array;
  readonly #words: Uint32Array;
  readonly #validity: Uint8Array;
  readonly #long: number[] = [];
  readonly #longTexts: string[] = [];
  #nulls = 0;

  constructor(capacity: number) {
    this.#doubles = new Float64Array(capacity);
    this.#bytes = new Uint8Array(capacity);
    this.#entries = new Uint8Array(capacity * ENTRY);
    this.#words = new Uint32Array(this.#entries.buffer);
    this.#validity = new Uint8Array(Math.ceil(capacity / 64) * 8);
  }

  /** Column `column`'s vector of a data chunk. */
  vectorOf(chunk: RawChunk, column: number): RawVector {
    return duckdbBindings().data_chunk_get_vector(chunk, column);
  }

  /** DOUBLE: numbers as they are; null (from `value`) unset. */
  doubles(vector: RawVector, n: number, value: (i: number) => number | null): void {
    const out = this.#doubles;
    this.#startValidity(n);
    for (let i = 0; i < n; i++) {
      const v = value(i);
      if (v === null) {
        out[i] = 0;
        this.#setNull(i);
      } else out[i] = v;
    }
    duckdbBindings().copy_data_to_vector(vector, 0, out.buffer, 0, n * 8);
    this.#finishValidity(vector, n);
  }

  /** BOOLEAN: one byte each. */
  booleans(vector: RawVector, n: number, value: (i: number) => boolean | null): void {
    const out = this.#bytes;
    this.#startValidity(n);
    for (let i = 0; i < n; i++) {
      const v = value(i);
      if (v === null) this.#setNull(i);
      out[i] = v === true ? 1 : 0;
    }
    duckdbBindings().copy_data_to_vector(vector, 0, out.buffer, 0, n);
    this.#finishValidity(vector, n);
  }

  /**
   * VARCHAR: a string of up to 12 UTF-8 bytes is written into its entry (as DuckDB inlines it, the
   * rest zero); a longer one is assigned by node-bindings after the copy.
   */
  strings(vector: RawVector, n: number, value: (i: number) => string | null): void {
    const entries = this.#entries;
    const words = this.#words;
    const long = this.#long;
    const longTexts = this.#longTexts;
    long.length = 0;
    longTexts.length = 0;
    words.fill(0, 0, n * 4);
    this.#startValidity(n);
    for (let i = 0; i < n; i++) {
      const text = value(i);
      if (text === null) this.#setNull(i);
      else if (!inline(text, entries, i * ENTRY)) {
        long.push(i);
        longTexts.push(text);
      }
    }
    const b = duckdbBindings();
    b.copy_data_to_vector(vector, 0, entries.buffer, 0, n * ENTRY);
    for (let k = 0; k < long.length; k++)
      b.vector_assign_string_element(vector, long[k] as number, longTexts[k] as string);
    this.#finishValidity(vector, n);
  }

  #startValidity(n: number): void {
    this.#validity.fill(0xff, 0, Math.ceil(n / 64) * 8);
    this.#nulls = 0;
  }

  #setNull(i: number): void {
    this.#validity[i >> 3] = (this.#validity[i >> 3] as number) & ~(1 << (i & 7));
    this.#nulls++;
  }

  #finishValidity(vector: RawVector, n: number): void {
    if (this.#nulls === 0) return;
    const b = duckdbBindings();
    b.vector_ensure_validity_writable(vector);
    b.copy_data_to_vector_validity(vector, 0, this.#validity.buffer, 0, Math.ceil(n / 64) * 8);
  }
}

/** Writes `text` inline into the entry at `at` when its UTF-8 is at most 12 bytes; false otherwise. */
function inline(text: string, entries: Uint8Array, at: number): boolean {
  if (text.length > INLINE) return false;
  let length = 0;
  for (let j = 0; j < text.length; j++) {
    let code = text.charCodeAt(j);
    if (code < 0x80) {
      if (length === INLINE) return false;
      entries[at + 4 + length++] = code;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(j + 1);
      // a surrogate pair is one code point of 4 bytes; a lone surrogate is written as U+FFFD
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        j++;
      } else code = 0xfffd;
    }
    const size = code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (length + size > INLINE) return false;
    utf8(code, size, entries, at + 4 + length);
    length += size;
  }
  // the length's low byte (little-endian, as DuckDB runs here); its other bytes were zeroed
  entries[at] = length;
  return true;
}

/** Writes code point `code` as its `size` UTF-8 bytes at `at`. */
function utf8(code: number, size: number, out: Uint8Array, at: number): void {
  if (size === 2) {
    out[at] = 0xc0 | (code >> 6);
    out[at + 1] = 0x80 | (code & 0x3f);
  } else if (size === 3) {
    out[at] = 0xe0 | (code >> 12);
    out[at + 1] = 0x80 | ((code >> 6) & 0x3f);
    out[at + 2] = 0x80 | (code & 0x3f);
  } else {
    out[at] = 0xf0 | (code >> 18);
    out[at + 1] = 0x80 | ((code >> 12) & 0x3f);
    out[at + 2] = 0x80 | ((code >> 6) & 0x3f);
    out[at + 3] = 0x80 | (code & 0x3f);
  }
}
