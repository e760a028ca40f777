/** Where a command writes: `process.stdout` or anything with `write` (a test's buffer). */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True on a terminal: the live view redraws in place. */
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

/** Everything a command touches of its process, so it runs in-process in tests. */
export interface CommandIO {
  stdout: OutputStream;
  stderr: OutputStream;
  /** The directory relative paths resolve against. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C: a running workflow is cancelled, then the command exits 130. */
  signal?: AbortSignal;
}

/** The exit codes of `stepwise`. */
export const ExitCode = {
  /** The command did what it was asked; a run completed. */
  OK: 0,
  /** A run failed. */
  RUN_FAILED: 1,
  /** Bad usage, an invalid document or config, a missing file: nothing was run. */
  USAGE: 2,
  /** Interrupted (Ctrl-C): the run was cancelled. */
  INTERRUPTED: 130,
} as const;

/** One of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Writes a line. */
export function println(stream: OutputStream, line = ''): void {
  stream.write(`${line}\n`);
}

/** True when colour should be used on `stream` (a TTY, and neither NO_COLOR nor a dumb terminal). */
export function useColor(stream: OutputStream, env: CommandIO['env']): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

/**
 * True when the live view can redraw in place on `stream`: a TTY with a size. Some pseudo-terminals
 * (a container started with -t, `script` without a size) report 0 rows, where the view would show nothing.
 */
export function canRedraw(stream: OutputStream): boolean {
  return stream.isTTY === true && stream.columns !== 0 && stream.rows !== 0;
}
