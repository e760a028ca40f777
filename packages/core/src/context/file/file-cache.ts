import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ErrorCode } from '../../errors/codes.js';
import { StepwiseError } from '../../errors/stepwise-error.js';
import type { SyncCacheIndex } from '../cache-index.js';
import { assertCacheKey, assertRef, isCacheKey, isRef } from '../ref.js';
import { namesIn, readFileIfExists, removeFile, writeFileAtomic } from './atomic-file.js';

const ENTRY_SUFFIX = '.json';
const decoder = new TextDecoder();

/**
 * Cache entries in a directory, one `<key>.json` each (`{ key, ref, createdAt }`), written
 * atomically: a process reading one sees the old ref or the new one. The cache index of a {@link FileStore}.
 */
export class FileCacheIndex implements SyncCacheIndex {
  /** The directory, absolute. */
  readonly dir: string;

  /** Opens (and creates, when missing) the directory. */
  constructor(dir: string) {
    this.dir = resolve(dir);
    mkdirSync(this.dir, { recursive: true });
  }

  /** @throws StepwiseError `CACHE_KEY_INVALID`, `STORE_CORRUPT` */
  get(key: string): string | undefined {
    assertCacheKey(key);
    const bytes = readFileIfExists(join(this.dir, key + ENTRY_SUFFIX));
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

  /** @throws StepwiseError `CACHE_KEY_INVALID`, `REF_INVALID` */
  set(key: string, ref: string): void {
    assertCacheKey(key);
    assertRef(ref);
    const entry = { key, ref, createdAt: new Date().toISOString() };
    writeFileAtomic(this.dir, key + ENTRY_SUFFIX, `${JSON.stringify(entry, null, 2)}\n`);
  }

  /** Every entry's key, sorted; stray and temporary files are ignored. */
  keys(): string[] {
    return namesIn(this.dir, ENTRY_SUFFIX).filter(isCacheKey);
  }

  /** @throws StepwiseError `CACHE_KEY_INVALID` */
  delete(key: string): boolean {
    assertCacheKey(key);
    return removeFile(join(this.dir, key + ENTRY_SUFFIX));
  }
}
