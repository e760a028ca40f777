import { join, resolve } from 'node:path';
import type { SweepReport, SyncStore } from '../store.js';
import { removeStaleTemporaries } from './atomic-file.js';
import { FileCacheIndex } from './file-cache.js';
import { FileRunStore } from './file-runs.js';
import { FileValueStore } from './file-values.js';

/**
 * A store in a directory, shared by every process that opens the same directory: values in
 * `values/` (`<ref>.value` encoded by the data type, `<ref>.meta.json`), run records in `runs/`
 * (`<runId>.json`, and `<runId>.journal` for entries appended since), cache entries in `cache/`
 * (`<key>.json`). Every write is atomic or an append, so a killed process never leaves a damaged
 * file. Run records and cache entries are flushed to disk as they are written, journal lines too
 * unless appended with `durable: false` (the runner's step transitions, flushed by `runs.flush` on an
 * interval); values are flushed in batches by `values.sync()`, which the runner calls before each of
 * those writes or flushes, so after an OS crash no record names a value that did not reach the disk
 * (see {@link FileValueStore} and {@link FileRunStore}).
 * @example new RuntimeContext({ store: new FileStore('.stepwise/data') })
 */
export class FileStore implements SyncStore {
  /** The directory, absolute. */
  readonly dir: string;
  readonly values: FileValueStore;
  readonly runs: FileRunStore;
  readonly cache: FileCacheIndex;

  /** Opens (and creates, when missing) the store in `dir`. */
  constructor(dir: string) {
    this.dir = resolve(dir);
    this.values = new FileValueStore(join(this.dir, 'values'));
    this.runs = new FileRunStore(join(this.dir, 'runs'));
    this.cache = new FileCacheIndex(join(this.dir, 'cache'));
  }

  /**
   * Removes the temporary files that writes cut short (a killed process) left in the store's
   * folders, those last modified before `before` (epoch ms); with `dryRun`, only counts them.
   */
  sweep(before: number, dryRun = false): SweepReport {
    const report = { files: 0, bytes: 0 };
    for (const dir of [this.values.dir, this.runs.dir, this.cache.dir]) {
      const swept = removeStaleTemporaries(dir, before, dryRun);
      report.files += swept.files;
      report.bytes += swept.bytes;
    }
    return report;
  }
}
