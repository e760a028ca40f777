import { FileStore } from './file/file-store.js';
import { MemoryStore } from './memory/memory-store.js';
import type { SyncStore } from './store.js';

/**
 * The store a config's `store` names (`LoadedConfig.store`): `memory` (nothing kept between
 * processes), or the absolute directory of a file store. What the CLI and the server open.
 * @example const store = openStore((await loadConfig()).store);
 */
export function openStore(location: string): SyncStore {
  return location === 'memory' ? new MemoryStore() : new FileStore(location);
}
