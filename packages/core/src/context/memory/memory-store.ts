import type { SyncStore } from '../store.js';
import { MemoryCacheIndex } from './memory-cache.js';
import { MemoryRunStore } from './memory-runs.js';
import { MemoryValueStore } from './memory-values.js';

/**
 * A store in this process's memory: the default store of a {@link RuntimeContext}. Values are
 * kept by reference (a put and a get cost a map operation each); run records as JSON snapshots,
 * like a file store would keep them. Everything is gone when the process ends.
 * @example new RuntimeContext({ store: new MemoryStore() })
 */
export class MemoryStore implements SyncStore {
  readonly values = new MemoryValueStore();
  readonly runs = new MemoryRunStore();
  readonly cache = new MemoryCacheIndex();
}
