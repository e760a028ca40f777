/** A log method: a message with printf-style arguments, or fields first (pino's order). */
export interface LogMethod {
  (message: string, ...args: unknown[]): void;
  (fields: object, message?: string, ...args: unknown[]): void;
}

/** The levels a step and the runner log at. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * What the runner logs through: four levels and `child`. A pino logger fits it as it is (the CLI
 * passes one), and so does any object with these methods; core itself depends on no logging library.
 * @example new WorkflowRunner({ logger: pino() })
 */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** A logger that adds `bindings` to every line (the runner binds `runId`, then `stepId`). */
  child(bindings: Record<string, unknown>): Logger;
}

const ignore = (): void => {};

/** A logger that drops everything: the runner's when none is given. */
export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
};
