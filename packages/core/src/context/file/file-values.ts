import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCode } from '../../errors/codes.js';
import { describeValue, RefNotFoundError, StepwiseError } from '../../errors/stepwise-error.js';
import type { DataType, DataTypeLookup } from '../../registry/data-type.js';
import { defaultRegistry } from '../../registry/default-registry.js';
import { assertRef, isRef } from '../ref.js';
import type { SyncValueStore, ValueMeta, ValueStoreLocator } from '../value-store.js';
import {
  namesIn,
  readFileIfExists,
  removeFile,
  syncDir,
  syncDirNow,
  syncFiles,
  syncFilesNow,
  writeFileAtomic,
} from './atomic-file.js';
import { parseMetaFile, toMetaFile } from './meta-file.js';

const VALUE_SUFFIX = '.value';
const META_SUFFIX = '.meta.json';
const decoder = new TextDecoder();

/** Options of {@link FileValueStore.write}. */
export interface FileWriteOptions {
  /**
   * The value lives only while a step runs (a queue job's staged input or output, read once and
   * removed): {@link FileValueStore.sync} leaves it out, so it never costs a flush to disk. An OS
   * crash may lose it, which costs its step a new attempt, never a completed step: no run record
   * references it.
   */
  temporary?: boolean;
}

/** The refs of one directory that this process wrote and has not flushed to disk yet. */
interface Unsynced {
  refs: Set<string>;
  /** The flush in progress, if any: a later `sync` also waits for it. */
  flushing: Promise<void> | undefined;
}

/** By directory: every FileValueStore of this process on the same directory shares one. */
const unsyncedByDir = new Map<string, Unsynced>();
let exitHooked = false;

/**
 * Values in a directory, shared by every process that opens it: each value is encoded with its
 * data type's `encode` into `<ref>.value`, its metadata is JSON in `<ref>.meta.json`. Every write
 * is atomic (a temporary file in the same directory, then a rename), and the metadata is written
 * last, so a ref exists once it is complete. Reads decode with the data type named in the
 * metadata, found in the registry the context binds (the default registry until then).
 * The values of a {@link FileStore}.
 *
 * **Durability.** A value is readable by every process as soon as `write` returns, and a killed
 * process (SIGKILL, a crash of Node) never loses it: the files are in the operating system's page
 * cache. `write` does not wait for the disk, though: an OS crash or a power loss may lose a value
 * until {@link FileValueStore.sync} has flushed it (one flush of every value written since, all at
 * once, then of the directory). The runner calls `sync` before every run record or durable journal
 * entry it writes, before it flushes the journal, and before a cache entry, so a record that says a
 * step completed is never on disk before the output it names. Values not flushed when the process exits normally are flushed then.
 */
export class FileValueStore implements SyncValueStore {
  /** The directory, absolute. */
  readonly dir: string;
  /** A worker thread (or a process on the same file system) opens the same directory. */
  readonly locator: ValueStoreLocator;
  #registry: DataTypeLookup = defaultRegistry;
  readonly #unsynced: Unsynced;

  /** Opens (and creates, when missing) the directory. */
  constructor(dir: string) {
    this.dir = resolve(dir);
    this.locator = { kind: 'file', dir: this.dir };
    mkdirSync(this.dir, { recursive: true });
    let unsynced = unsyncedByDir.get(this.dir);
    if (unsynced === undefined) {
      unsynced = { refs: new Set(), flushing: undefined };
      unsyncedByDir.set(this.dir, unsynced);
    }
    this.#unsynced = unsynced;
  }

  /** Uses `registry` to find the data types that encode and decode values. */
  bind(registry: DataTypeLookup): void {
    this.#registry = registry;
  }

  /**
   * Encodes and writes `value`; records its size (bytes = the file size; rows from the data type).
   * Readable at once by every process; on disk for good after the next {@link FileValueStore.sync}
   * (never, for a `temporary` value).
   * @throws StepwiseError `REF_INVALID`, `DATA_TYPE_UNKNOWN`, `VALUE_NOT_ENCODABLE`
   */
  write(ref: string, value: unknown, meta: ValueMeta, options: FileWriteOptions = {}): void {
    assertRef(ref);
    const type = this.#registry.requireDataType(meta.type);
    const bytes = encodeValue(ref, type, value);
    const rows = rowsOf(type, value);
    const stored: ValueMeta = { ...meta, bytes: bytes.byteLength };
    if (rows !== undefined) stored.rows = rows;
    writeFileAtomic(this.dir, ref + VALUE_SUFFIX, bytes, { flush: false });
    writeFileAtomic(this.dir, ref + META_SUFFIX, toMetaFile(ref, stored), { flush: false });
    if (options.temporary === true) return;
    this.#unsynced.refs.add(ref);
    hookExit();
  }

  /**
   * Flushes to disk every value this process wrote to the directory since the last sync (through
   * any FileValueStore on it), then the directory itself: once it resolves, those values survive
   * an OS crash or a power loss. The files are flushed all at once, on Node's thread pool, so a
   * batch costs about one flush, not one per file. Answers undefined when there is nothing to flush.
   * @throws the file system's error (the values stay to flush, the next sync tries again)
   */
  sync(): Promise<void> | undefined {
    const unsynced = this.#unsynced;
    const before = unsynced.flushing;
    if (unsynced.refs.size === 0) return before;
    const refs = [...unsynced.refs];
    unsynced.refs.clear();
    const paths = refs.flatMap((ref) => [join(this.dir, ref + VALUE_SUFFIX), join(this.dir, ref + META_SUFFIX)]);
    const flushing = (async () => {
      try {
        await syncFiles(paths);
        await syncDir(this.dir);
      } catch (error) {
        for (const ref of refs) unsynced.refs.add(ref);
        throw error;
      }
      // a flush still going on from before may hold values this call's caller names
      await before;
    })();
    unsynced.flushing = flushing;
    const done = (): void => {
      if (unsynced.flushing === flushing) unsynced.flushing = undefined;
    };
    flushing.then(done, done);
    return flushing;
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
    const bytes = readFileIfExists(join(this.dir, ref + VALUE_SUFFIX));
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
    return existsSync(join(this.dir, ref + META_SUFFIX));
  }

  /** @throws StepwiseError `REF_INVALID`, `STORE_CORRUPT` */
  meta(ref: string): ValueMeta | undefined {
    assertRef(ref);
    const bytes = readFileIfExists(join(this.dir, ref + META_SUFFIX));
    if (bytes === undefined) return undefined;
    const meta = parseMetaFile(decoder.decode(bytes));
    if (typeof meta === 'string') throw corrupt(`Metadata of ref "${ref}" is damaged: ${meta}`, ref);
    return meta;
  }

  /** @throws StepwiseError `REF_INVALID` */
  delete(ref: string): boolean {
    assertRef(ref);
    this.#unsynced.refs.delete(ref);
    const existed = removeFile(join(this.dir, ref + META_SUFFIX));
    removeFile(join(this.dir, ref + VALUE_SUFFIX));
    return existed;
  }

  /** Every complete ref in the directory, sorted; stray and temporary files are ignored. */
  list(): string[] {
    return namesIn(this.dir, META_SUFFIX).filter(isRef);
  }
}

/** Flushes, when the process exits normally, what no sync flushed: a value put by a script that then ends is kept as before. */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const [dir, unsynced] of unsyncedByDir) {
      if (unsynced.refs.size === 0) continue;
      try {
        syncFilesNow(
          [...unsynced.refs].flatMap((ref) => [join(dir, ref + VALUE_SUFFIX), join(dir, ref + META_SUFFIX)]),
        );
        syncDirNow(dir);
      } catch {
        // exiting: nothing left to tell
      }
      unsynced.refs.clear();
    }
  });
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
