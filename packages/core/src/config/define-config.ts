import type { RetentionPolicy } from '../context/prune.js';

/** The project configuration, as written in `stepwise.config.ts`. */
export interface StepwiseConfig {
  /**
   * Step modules to import, relative to the config file (`./examples/sales/steps.ts`) or package
   * names (`@stepwise/dataframe`). The command, worker threads and queue workers load the same list.
   */
  steps: string[];
  /** Directory that relative data paths (`read_csv`'s `path`, ...) resolve against; defaults to the config's directory. */
  dataRoot?: string;
  /** `memory`, or a directory (relative to the config file) for the file store; defaults to `.stepwise/store`. */
  store?: 'memory' | (string & {});
  /**
   * The folder of saved workflows (one JSON document per workflow, `<id>.json`), relative to the
   * config file: what `stepwise serve` lists, saves and runs; defaults to `workflows`.
   */
  workflows?: string;
  /**
   * Where run history is kept, instead of the file store's `runs/` folder (values and the cache stay
   * in the store): `sqlite:<file>` (relative to the config file), e.g. `sqlite:.stepwise/history.db`,
   * or a PostgreSQL URL, `postgres://user@host:5432/db` (add `?schema=name` for a schema other than
   * `stepwise`), for several servers sharing one history. Needs the `@stepwise/history` package.
   * Unset: runs are kept as files in the store. See docs/history.md.
   */
  history?: `sqlite:${string}` | `postgres://${string}` | `postgresql://${string}`;
  /**
   * How much run history `stepwise prune` and a server keep: `keepRuns`, `maxAgeDays`, `maxBytes`
   * (of stored values); each limit not given is the default's (100 runs, 30 days, 10 GiB).
   */
  retention?: RetentionPolicy;
  /** pino log level: `silent`, `error`, `warn`, `info`, `debug`, `trace`; defaults to `warn`. */
  logLevel?: string;
  /** Where the queue is, for steps with `executor: 'queue'` and for `stepwise worker` (see docs/distributed.md). */
  queue?: QueueConfig;
}

/** The queue section of `stepwise.config.ts`: the runner and every worker of a project read the same one. */
export interface QueueConfig {
  /** The Redis URL (`redis://host:6379/0`); defaults to `REDIS_URL`, else `redis://127.0.0.1:6379`. */
  redis?: string;
  /**
   * The file store every worker and the runner reach (a shared path), relative to the config file:
   * inputs and outputs go through it by ref. Defaults to the project's store.
   */
  store?: string;
  /** The Redis key prefix of this project's jobs; defaults to `stepwise:<the project folder's name>`. */
  prefix?: string;
  /** Jobs one `stepwise worker` runs at once (each on its own worker thread); defaults to 1. */
  concurrency?: number;
  /** Milliseconds a worker may go silent before its job goes to another worker; defaults to 30 000. */
  lockDurationMs?: number;
  /** Milliseconds `stepwise worker` lets running jobs finish on SIGTERM before handing them back; defaults to 10 000. */
  shutdownGraceMs?: number;
  /** Milliseconds to wait for Redis: at start, and before the steps of a run waiting on a lost Redis fail; defaults to 10 000. */
  connectTimeoutMs?: number;
}

/**
 * Declares a project configuration; returns it unchanged, typed (as `defineConfig` does in Vite and Vitest).
 * @example
 * // stepwise.config.ts
 * import { defineConfig } from '@stepwise/core';
 * export default defineConfig({ steps: ['./steps.ts'], store: '.stepwise/store' });
 */
export function defineConfig(config: StepwiseConfig): StepwiseConfig {
  return config;
}
