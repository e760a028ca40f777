import { FileStore, type Store, type SyncCacheIndex, type SyncValueStore } from '@stepwise/core';
import type { HistoryStore } from './history-store.js';
import { openHistory } from './open-history.js';

/** A config's store with its runs in the config's history: what {@link openConfigStore} answers. */
export interface ConfigStore {
  /** Values and the cache in the file store, runs in the history. */
  readonly store: Store & { readonly values: SyncValueStore; readonly cache: SyncCacheIndex };
  /** The history holding the runs (events too). */
  readonly history: HistoryStore;
  /** Closes the history. */
  close(): Promise<void>;
}

/**
 * The store a project's config names, with its runs in the config's `history`: values and the
 * cache in the file store at `store` (an absolute directory), run records, journals and events in
 * SQLite or PostgreSQL. The CLI and the server open a history-backed store through this one function.
 * @example const { store, close } = await openConfigStore({ store: config.store, history: config.history, root: config.root });
 * @throws StepwiseError `FIELD_INVALID` for a history that is neither `sqlite:` nor a PostgreSQL URL
 */
export async function openConfigStore(config: { store: string; history: string; root?: string }): Promise<ConfigStore> {
  const history = await openHistory(config.history, config.root === undefined ? {} : { root: config.root });
  const files = new FileStore(config.store);
  return {
    store: { values: files.values, runs: history, cache: files.cache },
    history,
    close: async () => {
      await history.close();
    },
  };
}
