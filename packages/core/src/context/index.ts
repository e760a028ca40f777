// stores
export type { ContextStore, Producer, ValueMeta } from './context-store.js';
export { FileStore } from './file-store.js';
export { MemoryStore } from './memory-store.js';
// pruning: keep the newest runs and the data they use
export { type PruneOptions, type PruneReport, pruneStore } from './prune.js';
// refs, run ids and cache keys
export { assertCacheKey, assertRef, assertRunId, isCacheKey, isRef, isRunId, newRef } from './ref.js';
// the runtime context
export { type PutOptions, RuntimeContext, type RuntimeContextOptions, type ValueInfo } from './runtime-context.js';
