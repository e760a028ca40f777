import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCode } from '../errors/codes.js';
import { describeValue, RefNotFoundError, StepwiseError } from '../errors/stepwise-error.js';
import type { DataType } from '../registry/data-type.js';
import { defaultRegistry } from '../registry/default-registry.js';
import type { StepRegistry } from '../registry/step-registry.js';
import { readFileIfExists, removeFile, writeFileAtomic } from './atomic-file.js';
import type { ContextStore, ValueMeta } from './context-store.js';
import { parseMetaFile, toMetaFile } from './meta-file.js';
import { assertCacheKey, assertRef, assertRunId, isCacheKey, isRef, isRunId, runRecordToJson } from './ref.js';

const VALUE_SUFFIX = '.value';
const META_SUFFIX = '.meta.json';
const JSON_SUFFIX = '.json';
const decoder = new TextDecoder();

/**
 * A store in a directory, shared by every process that opens the same directory: each value is
 * encoded with its data type's `encode` into `values/<ref>.value`, its metadata is JSON in
 * `values/<ref>.meta.json`, run records are `runs/<runId>.json`, cache entries (key → ref) are
 * `cache/<key>.json`. Every write is atomic
 * (temporary file in the same directory, then rename), and the metadata is written last, so a
 * ref exists once it is complete. Reads decode with the data type named in the metadata, found
 * in the registry the context binds (the default registry until then).
 * @example new RuntimeContext({ store: new FileStore('.stepwise/data') })
 */
export class FileStore implements ContextStore {
  /** The directory, absolute. */
  readonly dir: string;
  readonly #values: string;
  readonly #runs: string;
  readonly #cache: string;
  #registry: StepRegistry = defaultRegistry;

  /** Opens (and creates, when missing) the store in `dir`. */
  constructor(dir: string) {
    this.dir = resolve(dir);
    this.#values = join(this.dir, 'values');
    this.#runs = join(this.dir, 'runs');
    this.#cache = join(this.dir, 'cache');
    for (const sub of [this.#values, this.#runs, this.#cache]) mkdirSync(sub, { recursive: true });
  }

  /** Uses `registry` to find the data types that encode and decode values. */
  bind(registry: StepRegistry): void {
    this.#registry = registry;
  }

  /**
   * Encodes and writes `value`; records its size (bytes = the file size; rows from the data type).
   * @throws StepwiseError `REF_INVALID`, `DATA_TYPE_UNKNOWN`, `VALUE_NOT_ENCODABLE`
   */
  write(ref: string, value: unknown, meta: ValueMeta): void {
    assertRef(ref);
    const type = this.#registry.requireDataType(meta.type);
    const bytes = encodeValue(ref, type, value);
    const rows = rowsOf(type, value);
    const stored: ValueMeta = { ...meta, bytes: bytes.byteLength };
    if (rows !== undefined) stored.rows = rows;
    writeFileAtomic(this.#values, ref + VALUE_SUFFIX, bytes);
    writeFileAtomic(this.#values, ref + META_SUFFIX, toMetaFile(ref, stored));
  }

  /** @throws StepwiseError `REF_INVALID`, `STORE_CORRUPT`, `DATA_TYPE_UNKNOWN`; RefNotFoundError `REF_NOT_FOUND` */
  read(ref: string): unknown {
    const meta = this.meta(ref);
    if (meta === undefined) throw new RefNotFoundError(ref);
    const type = this.#registry.dataType(meta.type);
    if (type === undefined)
      throw new StepwiseError(
        ErrorCode.DATA_TYPE_UNKNOWN,
        `Ref "${ref}" holds a value of data type "${meta.type}", which this process has not registered. ` +
          'Register the data type (import the package that defines it) before reading the ref.',
        { details: { ref, type: meta.type } },
      );
    const bytes = readFileIfExists(join(this.#values, ref + VALUE_SUFFIX));
    if (bytes === undefined) {
      if (!this.has(ref)) throw new RefNotFoundError(ref); // deleted meanwhile
      throw corrupt(`Ref "${ref}" has metadata but its value file is missing.`, ref);
    }
    try {
      return type.decode(bytes);
    } catch (cause) {
      throw corrupt(`Ref "${ref}" cannot be decoded as "${meta.type}": ${messageOf(cause)}`, ref, cause);
    }
  }

  /** @throws StepwiseError `REF_INVALID` */
  has(ref: string): boolean {
    assertRef(ref);
    return existsSync(join(this.#values, ref + META_SUFFIX));
  }

  /** @throws StepwiseError `REF_INVALID`, `STORE_CORRUPT` */
  meta(ref: string): ValueMeta | undefined {
    assertRef(ref);
    const bytes = readFileIfExists(join(this.#values, ref + META_SUFFIX));
    if (bytes === undefined) return undefined;
    const meta = parseMetaFile(decoder.decode(bytes));
    if (typeof meta === 'string') throw corrupt(`Metadata of ref "${ref}" is damaged: ${meta}`, ref);
    return meta;
  }

  /** @throws StepwiseError `REF_INVALID` */
  delete(ref: string): boolean {
    assertRef(ref);
    const existed = removeFile(join(this.#values, ref + META_SUFFIX));
    removeFile(join(this.#values, ref + VALUE_SUFFIX));
    return existed;
  }

  /** Every complete ref in the directory, sorted; stray and temporary files are ignored. */
  list(): string[] {
    return namesIn(this.#values, META_SUFFIX).filter(isRef);
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `RUN_RECORD_INVALID` */
  saveRun(runId: string, record: unknown): void {
    assertRunId(runId);
    writeFileAtomic(this.#runs, `${runId}.json`, runRecordToJson(runId, record));
  }

  /** @throws StepwiseError `RUN_ID_INVALID`, `STORE_CORRUPT` */
  loadRun(runId: string): unknown | undefined {
    assertRunId(runId);
    const bytes = readFileIfExists(join(this.#runs, `${runId}.json`));
    if (bytes === undefined) return undefined;
    try {
      return JSON.parse(decoder.decode(bytes)) as unknown;
    } catch (cause) {
      throw new StepwiseError(ErrorCode.STORE_CORRUPT, `Run record "${runId}" is damaged: ${messageOf(cause)}`, {
        cause,
        details: { runId },
      });
    }
  }

  /** Every run record's id, sorted; stray and temporary files are ignored. */
  listRuns(): string[] {
    return namesIn(this.#runs, JSON_SUFFIX).filter(isRunId);
  }

  /** @throws StepwiseError `RUN_ID_INVALID` */
  deleteRun(runId: string): boolean {
    assertRunId(runId);
    return removeFile(join(this.#runs, runId + JSON_SUFFIX));
  }

  /** @throws StepwiseError `CACHE_KEY_INVALID`, `STORE_CORRUPT` */
  readCacheEntry(key: string): string | undefined {
    assertCacheKey(key);
    const bytes = readFileIfExists(join(this.#cache, `${key}.json`));
    if (bytes === undefined) return undefined;
    let ref: unknown;
    try {
      ref = (JSON.parse(decoder.decode(bytes)) as { ref?: unknown } | null)?.ref;
    } catch {
      ref = undefined;
    }
    if (isRef(ref)) return ref;
    throw new StepwiseError(ErrorCode.STORE_CORRUPT, `Cache entry "${key}" is damaged: it holds no ref.`, {
      details: { key },
    });
  }

  /**
   * Writes the entry atomically: a process reading it sees the old ref or the new one.
   * @throws StepwiseError `CACHE_KEY_INVALID`, `REF_INVALID`
   */
  writeCacheEntry(key: string, ref: string): void {
    assertCacheKey(key);
    assertRef(ref);
    const entry = { key, ref, createdAt: new Date().toISOString() };
    writeFileAtomic(this.#cache, `${key}.json`, `${JSON.stringify(entry, null, 2)}\n`);
  }

  /** Every cache entry's key, sorted; stray and temporary files are ignored. */
  listCacheEntries(): string[] {
    return namesIn(this.#cache, JSON_SUFFIX).filter(isCacheKey);
  }

  /** @throws StepwiseError `CACHE_KEY_INVALID` */
  deleteCacheEntry(key: string): boolean {
    assertCacheKey(key);
    return removeFile(join(this.#cache, key + JSON_SUFFIX));
  }
}

/** The names of the files in `dir` ending in `suffix`, without it, sorted. */
function namesIn(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .map((name) => name.slice(0, -suffix.length))
    .sort();
}

function encodeValue(ref: string, type: DataType, value: unknown): Uint8Array {
  const fail = (why: string, cause?: unknown) =>
    new StepwiseError(
      ErrorCode.VALUE_NOT_ENCODABLE,
      `Ref "${ref}": a value of data type "${type.name}" (${describeValue(value)}) cannot be written to a file store: ` +
        `${why}. Give it a data type whose encode() handles it, or use a MemoryStore.`,
      { details: { ref, type: type.name }, ...(cause === undefined ? {} : { cause }) },
    );
  let bytes: unknown;
  try {
    bytes = type.encode(value);
  } catch (cause) {
    throw fail(`encode() threw: ${messageOf(cause)}`, cause);
  }
  if (!(bytes instanceof Uint8Array)) throw fail(`encode() returned ${describeValue(bytes)}, not a Uint8Array`);
  // JSON-based encoders turn functions, symbols and undefined into nothing: check that nothing decodes
  if (bytes.byteLength === 0) {
    try {
      type.decode(bytes);
    } catch (cause) {
      throw fail('it encodes to no bytes that decode back', cause);
    }
  }
  return bytes;
}

function rowsOf(type: DataType, value: unknown): number | undefined {
  try {
    return type.size?.(value).rows;
  } catch {
    return undefined;
  }
}

function corrupt(message: string, ref: string, cause?: unknown): StepwiseError {
  return new StepwiseError(ErrorCode.STORE_CORRUPT, message, {
    details: { ref },
    ...(cause === undefined ? {} : { cause }),
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : describeValue(error);
}
