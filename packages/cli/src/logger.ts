import { createRequire } from 'node:module';
import type { Logger, LogLevel, LogMethod } from '@stepwise/core';
import type { OutputStream } from './io.js';
import type { Colors } from './view/format.js';

/** Writes one finished log line (no trailing newline). */
export type LogWriter = (line: string) => void;

/** Options of {@link createCliLog}. */
export interface CliLogOptions {
  /** pino level: the config's `logLevel`, or `debug` with `--verbose`. */
  level: string;
  /** Where lines go when nothing diverts them: stderr, so that stdout keeps the view or the NDJSON events. */
  stream: OutputStream;
  /** Print each entry as pino's JSON line (with `--json`) instead of a readable line. */
  json: boolean;
  /** Add the stack of a logged error (only with `--verbose`). */
  stacks: boolean;
  c: Colors;
}

/** The command's logger (pino), and a switch that routes its lines through the live view while it redraws. */
export interface CliLog {
  /** pino, made on the first line logged: a command that logs nothing (validate) never loads it. */
  readonly logger: Logger;
  /** Sends lines to `writer` from now on (the live view clears, prints them, redraws); `undefined` restores the stream. */
  divert(writer: LogWriter | undefined): void;
}

/** The pino level of a command: `debug` with `--verbose` (unless the config asks for `trace`), else the config's. */
export function logLevelFor(configLevel: string, verbose: boolean): string {
  if (!verbose || configLevel === 'trace') return configLevel;
  return 'debug';
}

/** A pino logger at `level` whose entries become lines on `stream`, or on whatever {@link CliLog.divert} names. */
export function createCliLog(options: CliLogOptions): CliLog {
  let diverted: LogWriter | undefined;
  const destination = {
    write(entry: string) {
      if (!options.json && reportedElsewhere(entry)) return;
      const line = options.json ? entry.trimEnd() : formatLogEntry(entry, options);
      if (diverted) diverted(line);
      else options.stream.write(`${line}\n`);
    },
  };
  let made: Logger | undefined;
  const pinoLogger = (): Logger => {
    const { pino } = createRequire(import.meta.url)('pino') as typeof import('pino');
    // no pid or hostname: one process, one machine
    made ??= pino({ level: options.level, base: null }, destination);
    return made;
  };
  return {
    logger: lazyLogger(pinoLogger, options.level),
    divert(writer) {
      diverted = writer;
    },
  };
}

/** pino's level values: a line is written when its level's value is at least the logger's. */
const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/**
 * A logger that makes the real one (and its children) on the first line logged through it at `level` or
 * above: a run at the default `warn` logs its `info` lines into nothing, and never loads pino.
 */
function lazyLogger(make: () => Logger, level: string): Logger {
  let made: Logger | undefined;
  const real = (): Logger => {
    made ??= make();
    return made;
  };
  // `silent` drops every line; a level pino does not know leaves every line to pino to judge
  const least = level === 'silent' ? Number.POSITIVE_INFINITY : (LEVEL_VALUES[level] ?? 0);
  const dropped: LogMethod = () => {};
  // one forwarder serves both overloads of a log method: the arguments pass through as they came
  const forward = (method: LogLevel): LogMethod =>
    (LEVEL_VALUES[method] ?? 0) < least
      ? dropped
      : (((...args: [string, ...unknown[]]) => real()[method](...args)) as LogMethod);
  return {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
    child: (bindings) => lazyLogger(() => real().child(bindings), level),
  };
}

/**
 * The runner's own "step failed" and "run failed" entries: the run's report prints the failure once,
 * with its cause, so a readable log line would only say it again. (JSON logs keep them, for machines.)
 */
function reportedElsewhere(entry: string): boolean {
  const { msg, stepId, failedSteps } = JSON.parse(entry) as Record<string, unknown>;
  return (msg === 'run failed' && Array.isArray(failedSteps)) || msg === `step "${String(stepId)}" failed`;
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** A logged error as pino serializes an Error (`type`) or as the runner passes a StepErrorInfo (`name`). */
interface LoggedError {
  type?: string;
  name?: string;
  message?: string;
  stack?: string;
}

/**
 * One pino JSON entry as a readable line: `warn  check: step "check" failed (Error: disk full)  attempts=1`,
 * then the error's stack frames when `stacks` is on.
 */
export function formatLogEntry(entry: string, options: Pick<CliLogOptions, 'stacks' | 'c'>): string {
  const { level, time: _time, msg, err, runId: _runId, stepId, ...rest } = JSON.parse(entry) as Record<string, unknown>;
  const { c } = options;
  const name = LEVELS[level as number] ?? 'log';
  const paint = name === 'warn' ? c.yellow : name === 'error' || name === 'fatal' ? c.red : c.dim;
  const where = typeof stepId === 'string' ? `${stepId}: ` : '';
  const error = err as LoggedError | undefined;
  // pino names a plain error object's type `Object`; the runner's errors carry their own `name`
  const because = error ? ` (${error.name ?? error.type ?? 'Error'}: ${error.message ?? ''})` : '';
  const extras = Object.entries(rest).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  const line = `${paint(name.padEnd(5))} ${where}${String(msg ?? '')}${because}${extras.length > 0 ? c.dim(`  ${extras.join(' ')}`) : ''}`;
  if (!options.stacks || error?.stack === undefined) return line;
  const frames = error.stack.split('\n').filter((l) => /^\s*(at |caused by)/.test(l));
  return [line, ...frames.map((frame) => `    ${frame.trim()}`)].join('\n');
}
