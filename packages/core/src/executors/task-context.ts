import { format } from 'node:util';
import type { LogLevel, LogMethod } from '../logger.js';
import { isThenable, type MaybePromise } from '../maybe-promise.js';
import type { StepContext, StepLogger } from '../registry/step-type.js';
import type { StepTask, TaskReporter } from './executor.js';

/**
 * Every named input of `task`, the primary one under `input`: its in-process value when the task
 * carries one, else read by ref from the task's context. A promise only when the store answers one.
 * An executor calls it where the step runs.
 * @throws StepwiseError `REF_INVALID`; RefNotFoundError `REF_NOT_FOUND`
 */
export function readTaskInputs(task: StepTask): MaybePromise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = { ...task.values };
  let pending: Promise<unknown>[] | undefined;
  for (const name in task.inputs) {
    if (task.values !== undefined && name in task.values) continue;
    const value = task.context.get(task.inputs[name] as string);
    if (isThenable(value)) {
      pending ??= [];
      pending.push(Promise.resolve(value).then((resolved) => (inputs[name] = resolved)));
    } else inputs[name] = value;
  }
  return pending === undefined ? inputs : Promise.all(pending).then(() => inputs);
}

/**
 * The `ctx` a step function receives for `task`, with its inputs' values: `ctx.log` and
 * `ctx.progress` go to the task's reporter, wherever the step runs.
 */
export function taskStepContext(
  task: Pick<StepTask, 'runId' | 'stepId' | 'attempt' | 'signal' | 'report'>,
  inputs: Readonly<Record<string, unknown>>,
): StepContext {
  return new TaskStepContext(task, inputs);
}

class TaskStepContext implements StepContext {
  readonly signal: AbortSignal;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly runId: string;
  readonly stepId: string;
  readonly attempt: number;
  readonly #report: TaskReporter;
  #log: StepLogger | undefined;

  constructor(
    task: Pick<StepTask, 'runId' | 'stepId' | 'attempt' | 'signal' | 'report'>,
    inputs: Readonly<Record<string, unknown>>,
  ) {
    this.signal = task.signal;
    this.inputs = inputs;
    this.runId = task.runId;
    this.stepId = task.stepId;
    this.attempt = task.attempt;
    this.#report = task.report;
  }

  get log(): StepLogger {
    this.#log ??= reporterLogger(this.#report);
    return this.#log;
  }

  progress(done: number, total?: number): void {
    this.#report.progress(done, total);
  }
}

/** A {@link StepLogger} over a reporter: pino's call forms, the message formatted printf-style. */
export function reporterLogger(report: TaskReporter): StepLogger {
  const method =
    (level: LogLevel): LogMethod =>
    (first: unknown, ...rest: unknown[]): void => {
      if (typeof first === 'string') {
        report.log(level, rest.length === 0 ? first : format(first, ...rest));
        return;
      }
      const [message, ...args] = rest;
      const text = typeof message === 'string' ? (args.length === 0 ? message : format(message, ...args)) : '';
      const fields = first !== null && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
      if (fields === undefined) report.log(level, text);
      else report.log(level, text, fields);
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}
