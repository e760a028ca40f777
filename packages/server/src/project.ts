import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadedConfig, loadConfig, openStore, registry, type StepRegistry, type Store } from '@stepwise/core';
import { configureFiles } from '@stepwise/dataframe';
import type { ServerOptions } from './options.js';

/** What the server works with: the project's config, registry, store and folders. */
export interface ServerProject {
  config: LoadedConfig;
  registry: StepRegistry;
  store: Store;
  /** What the store is: the config's file store or memory, or one given to `createServer`. */
  storeKind: 'file' | 'memory' | 'history' | 'custom';
  workflowsDir: string;
  /** The editor's built files, when there are any to serve. */
  uiDir: string | undefined;
  /** Closes what the project opened (the run history's connection). */
  close(): Promise<void>;
}

/**
 * Loads the project as the CLI does: the config (and its step modules, into the registry), the data
 * root the table steps read under, and the store (the one given, or the config's).
 * @throws StepwiseError `CONFIG_LOAD_FAILED`
 */
export async function openServerProject(options: ServerOptions): Promise<ServerProject> {
  const cwd = options.cwd ?? process.cwd();
  const config = await loadConfig(options.config, { cwd });
  configureFiles({ dataRoot: config.dataRoot });
  process.env.STEPWISE_DATA_ROOT = config.dataRoot; // worker threads inherit it: the same root there
  const opened = options.store === undefined ? await openConfigStore(config) : undefined;
  return {
    config,
    registry: options.registry ?? registry,
    store: options.store ?? opened?.store ?? openStore(config.store),
    storeKind:
      options.store !== undefined
        ? 'custom'
        : opened !== undefined
          ? 'history'
          : config.store === 'memory'
            ? 'memory'
            : 'file',
    close: async () => opened?.close(),
    workflowsDir: options.workflowsDir === undefined ? config.workflows : resolve(cwd, options.workflowsDir),
    uiDir: options.uiDir === false ? undefined : (options.uiDir ?? builtEditor()),
  };
}

/**
 * The config's store with its runs in the config's run history, when it names one (SQLite or
 * PostgreSQL, through `@stepwise/history`, loaded only then).
 * @throws Error when the config names a history and `@stepwise/history` is not installed
 */
async function openConfigStore(config: LoadedConfig): Promise<{ store: Store; close(): Promise<void> } | undefined> {
  if (config.history === undefined || config.store === 'memory') return undefined;
  let history: typeof import('@stepwise/history');
  try {
    history = await import('@stepwise/history');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw cause;
    throw new Error(
      'The config keeps run history in a database, which needs @stepwise/history: npm install @stepwise/history.',
    );
  }
  return history.openConfigStore({ store: config.store, history: config.history, root: config.root });
}

/** `@stepwise/ui`'s production build (`vite build` into its `dist`), when it is there. */
function builtEditor(): string | undefined {
  // packages/server/dist/project.js → packages/ui/dist (in the repository and in node_modules/@stepwise)
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'ui', 'dist');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}
