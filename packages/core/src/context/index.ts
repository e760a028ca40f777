// stores: values, run records and the cache index, and the two built-in stores
export type { CacheIndex, SyncCacheIndex } from './cache-index.js';
export { bootId, isThisBoot } from './file/boot-id.js';
export { FileCacheIndex } from './file/file-cache.js';
export { FileRunStore } from './file/file-runs.js';
export { FileStore } from './file/file-store.js';
export { FileValueStore } from './file/file-values.js';
export { MemoryCacheIndex } from './memory/memory-cache.js';
export { MemoryRunStore } from './memory/memory-runs.js';
export { MemoryStore } from './memory/memory-store.js';
export { MemoryValueStore } from './memory/memory-values.js';
export { openStore } from './open-store.js';
// pruning: keep the newest runs and the data they use
export {
  DEFAULT_RETENTION,
  type PruneOptions,
  type PruneReport,
  pruneStore,
  type RetentionPolicy,
  retentionLimits,
} from './prune.js';
// refs, run ids and cache keys
export { assertCacheKey, assertRef, assertRunId, isCacheKey, isRef, isRunId, newRef } from './ref.js';
// what every run store checks and how memory and files page: for other run stores to share
export {
  type CheckedRunQuery,
  checkRunQuery,
  DEFAULT_RUN_PAGE,
  encodeCursor,
  MAX_RUN_PAGE,
  matchesRunQuery,
  newestFirst,
  pageRuns,
} from './run-query.js';
export { applyUpdate, checkAppend, copyAsJson, runJson, runNotFound, summaryOf } from './run-records.js';
export type {
  AppendOptions,
  FlushOptions,
  RunPage,
  RunQuery,
  RunStore,
  RunUpdate,
  StoredRun,
  SyncRunStore,
} from './run-store.js';
// the runtime context
export {
  type ContextAnswer,
  type PutOptions,
  RuntimeContext,
  type RuntimeContextOptions,
  type ValueInfo,
} from './runtime-context.js';
export type { Store, SweepReport, SyncStore } from './store.js';
export type { Producer, SyncValueStore, ValueMeta, ValueStore, ValueStoreLocator } from './value-store.js';
