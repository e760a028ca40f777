/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
  verbose?: boolean;
}

// Option defaults the help shows, here so that the program lists its commands without loading them.
/** Runs `stepwise runs` lists when `--limit` does not say. */
export const DEFAULT_RUNS_LIMIT = 20;
/** The port `stepwise serve` listens on when `--port` does not say. */
export const DEFAULT_PORT = 3000;
/** Rows `stepwise preview` shows when `--rows` does not say. */
export const DEFAULT_PREVIEW_ROWS = 10;
