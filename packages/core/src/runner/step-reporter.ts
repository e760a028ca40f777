import { cutText, ERROR_LIMITS } from '../errors/error-bounds.js';
import type { TaskReporter } from '../executors/executor.js';
import type { Logger, LogLevel } from '../logger.js';
import { type Execution, type PreparedStep, stateOf } from './execution.js';

/**
 * The runner's end of a task's back channel, one per attempt: a step's log lines go to the run's
 * logger with `stepId` (the child made on first use) and, above debug, out as `step.log` events,
 * each line cut to 16 KiB like an error's message;
 * progress becomes `step.progress` events. Calls after the attempt is over (a timed-out attempt
 * still running, a late message from a worker) are dropped, so they never land in a retry's events.
 */
export class StepReporter implements TaskReporter {
  readonly #exec: Execution;
  readonly #step: PreparedStep;
  readonly #attempt: number;
  #logger: Logger | undefined;

  constructor(exec: Execution, step: PreparedStep, attempt: number) {
    this.#exec = exec;
    this.#step = step;
    this.#attempt = attempt;
  }

  log(level: LogLevel, text: string, fields?: Record<string, unknown>): void {
    if (!this.#isCurrent()) return;
    // a log line is as untrusted as an error: cut like an error's message
    const message = cutText(text, ERROR_LIMITS.text);
    this.#logger ??= this.#exec.logger.child({ stepId: this.#step.id });
    if (fields === undefined) this.#logger[level](message);
    else this.#logger[level](fields, message);
    if (level === 'debug' || !this.#exec.events.listening) return;
    this.#exec.events.emit({ type: 'step.log', stepId: this.#step.id, level, message });
  }

  progress(done: number, total?: number): void {
    if (!this.#exec.events.listening || !this.#isCurrent()) return;
    const event = { type: 'step.progress' as const, stepId: this.#step.id, done };
    this.#exec.events.emit(typeof total === 'number' ? { ...event, total } : event);
  }

  /** False once this attempt is over. */
  #isCurrent(): boolean {
    const state = stateOf(this.#exec, this.#step);
    return state.status === 'running' && state.attempts === this.#attempt;
  }
}
