import type { ExecutorFactory, Logger, StepRegistry, Store } from '@stepwise/core';

/** Options of {@link createServer}; every limit has a default written here. */
export interface ServerOptions {
  /** The project config (a path), or else the nearest `stepwise.config.*` up from `cwd`. */
  config?: string;
  /** Where a relative `config` and the config search start; defaults to `process.cwd()`. */
  cwd?: string;
  /**
   * The store runs and their data are kept in; defaults to the config's `store` (a file store, or
   * memory). Any {@link Store} fits, e.g. a run store on SQLite or PostgreSQL beside file values.
   */
  store?: Store;
  /** The registry of step types; defaults to core's, filled by the config's step modules. */
  registry?: StepRegistry;
  /** The folder of saved workflows; defaults to the config's `workflows` (`<project>/workflows`). */
  workflowsDir?: string;
  /** The address to bind; `127.0.0.1` by default. Any address but loopback requires `token`. */
  host?: string;
  /** The port; 0 (any free port) by default. */
  port?: number;
  /** With a token, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Host names (beside the bound host, localhost, 127.0.0.1 and ::1) requests may name in `Host`. */
  allowedHosts?: readonly string[];
  /** Origins (beside the server's own) a browser may call the API from, e.g. `http://localhost:5173`. */
  allowedOrigins?: readonly string[];
  /** Largest request body in bytes (1 MiB). */
  bodyLimit?: number;
  /** Largest request header block in bytes (16 KiB); beyond it the answer is 431. */
  maxHeaderSize?: number;
  /** Milliseconds to receive a whole request (30 s). */
  requestTimeout?: number;
  /** Milliseconds to receive the headers (10 s). */
  headersTimeout?: number;
  /** Milliseconds a connection may stay silent (60 s; an event stream sends a comment every 15 s). */
  idleTimeout?: number;
  /** Runs executing at once (2). */
  maxRuns?: number;
  /** Runs waiting for a slot (20); beyond it `POST /api/runs` answers 429 with `Retry-After`. */
  maxQueuedRuns?: number;
  /** Event streams open at once, in all (100). */
  maxEventStreams?: number;
  /** Event streams open at once from one client address (10). */
  maxEventStreamsPerClient?: number;
  /** Milliseconds between progress events of one step on an event stream (100: about 10 per second). */
  progressIntervalMs?: number;
  /**
   * Cells (rows × columns) of pushed-down steps' query results kept for their next preview pages, in
   * all (2,000,000); a result over a quarter of it keeps only the rows about the page shown. 0 keeps none.
   */
  previewCacheCells?: number;
  /** The editor's built files, served at `/`; defaults to `@stepwise/ui`'s `dist` when it exists; `false`: none. */
  uiDir?: string | false;
  /** Where the server and its runs log; silent by default. */
  logger?: Logger;
  /**
   * Executors beside the built-in ones (inline, threads), by kind, for steps whose
   * `strategy.executor` names them: `stepwise serve` gives `queue` (`@stepwise/queue`).
   */
  executors?: Readonly<Record<string, ExecutorFactory>>;
}

/** The limits in force: {@link ServerOptions} with every default filled in. */
export interface ServerLimits {
  bodyLimit: number;
  maxHeaderSize: number;
  requestTimeout: number;
  headersTimeout: number;
  idleTimeout: number;
  maxRuns: number;
  maxQueuedRuns: number;
  maxEventStreams: number;
  maxEventStreamsPerClient: number;
  progressIntervalMs: number;
  previewCacheCells: number;
}

/** The default limits. */
export const DEFAULT_LIMITS: Readonly<ServerLimits> = {
  bodyLimit: 1024 * 1024,
  maxHeaderSize: 16 * 1024,
  requestTimeout: 30_000,
  headersTimeout: 10_000,
  idleTimeout: 60_000,
  maxRuns: 2,
  maxQueuedRuns: 20,
  maxEventStreams: 100,
  maxEventStreamsPerClient: 10,
  progressIntervalMs: 100,
  previewCacheCells: 2_000_000,
};

/** The limits of `options`, defaults filled in. */
export function limitsOf(options: ServerOptions): ServerLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(limits) as (keyof ServerLimits)[]) {
    const value = options[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) throw new TypeError(`${key} must be a whole number, not ${value}.`);
    limits[key] = value;
  }
  return limits;
}
