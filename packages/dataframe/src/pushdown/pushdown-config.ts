/** Whether chains of built-in table steps are pushed down to DuckDB. */
export interface PushdownConfig {
  /** On by default; `STEPWISE_PUSHDOWN=off` in the environment or `configurePushdown({ enabled: false })` turns it off. */
  enabled: boolean;
}

let configured: Partial<PushdownConfig> = {};

/**
 * Turns pushdown on or off for this process (for comparison: the results are the same either way).
 * Fields left out keep their value; the default comes from `STEPWISE_PUSHDOWN` (`off`, `false` or
 * `0` turn it off), read at each use so worker threads that inherit the environment agree.
 * @example configurePushdown({ enabled: false })
 */
export function configurePushdown(options: Partial<PushdownConfig>): PushdownConfig {
  configured = { ...configured, ...options };
  return pushdownConfig();
}

/** The pushdown configuration in effect. */
export function pushdownConfig(): PushdownConfig {
  const env = (process.env.STEPWISE_PUSHDOWN ?? '').trim().toLowerCase();
  return { enabled: configured.enabled ?? !['off', 'false', '0', 'no'].includes(env) };
}

/** Forgets what {@link configurePushdown} set: back to the environment's default. */
export function resetPushdownConfig(): void {
  configured = {};
}

/**
 * Starts opening the DuckDB instance that the first pushed-down query takes, when pushdown is on: a
 * command about to run a workflow with pushed-down segments calls it, and DuckDB creates the instance
 * on threads of its own while the run starts. Loads DuckDB's helpers and module; never fails (an
 * instance that could not open is opened again, and its error reported, where it is needed).
 */
export function warmPushdown(): void {
  if (!pushdownConfig().enabled) return;
  import('../duckdb/open-duckdb.js').then(({ warmDuckDB }) => warmDuckDB()).catch(() => {});
}
