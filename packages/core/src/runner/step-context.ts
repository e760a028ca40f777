import type { Logger } from 'pino';
import { isThenable, type MaybePromise } from '../maybe-promise.js';
import type { StepContext, StepLogger } from '../registry/step-type.js';
import { type Execution, type PreparedStep, stateOf } from './execution.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * The `ctx` a step function receives. Cheap to make: the child logger is created on first use of
 * `ctx.log`, and progress builds an event only when someone listens.
 */
export class RunStepContext implements StepContext {
  readonly signal: AbortSignal;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly attempt: number;
  readonly runId: string;
  readonly stepId: string;
  readonly #exec: Execution;
  readonly #step: PreparedStep;
  #log: StepLogger | undefined;

  constructor(
    exec: Execution,
    step: PreparedStep,
    how: { attempt: number; signal: AbortSignal; inputs: Record<string, unknown> },
  ) {
    this.#exec = exec;
    this.#step = step;
    this.attempt = how.attempt;
    this.runId = exec.run.id;
    this.stepId = step.id;
    this.signal = how.signal;
    this.inputs = how.inputs;
  }

  get log(): StepLogger {
    this.#log ??= stepLogger(this.#exec, this.#step, this.#exec.logger.child({ stepId: this.#step.id }), () =>
      this.#isCurrent(),
    );
    return this.#log;
  }

  progress(done: number, total?: number): void {
    if (!this.#isCurrent() || !this.#exec.events.listening) return;
    const event = { type: 'step.progress' as const, stepId: this.#step.id, done };
    this.#exec.events.emit(typeof total === 'number' ? { ...event, total } : event);
  }

  /** False once this attempt is over (a late call from a timed-out attempt). */
  #isCurrent(): boolean {
    const state = stateOf(this.#exec, this.#step);
    return state.status === 'running' && state.attempts === this.attempt;
  }
}

/** Every named input's value, read from the context by ref; a promise only when the store answers one. */
export function resolveInputs(exec: Execution, step: PreparedStep): MaybePromise<Record<string, unknown>> {
  const inputs: Record<string, unknown> = {};
  let pending: Promise<unknown>[] | undefined;
  const sources = step.sources;
  for (let i = 0; i < sources.length; i++) {
    const source = sources[i] as (typeof sources)[number];
    let ref: string | undefined;
    if (source.step >= 0) {
      const stream = exec.streams[source.step];
      if (stream !== undefined) {
        inputs[source.name] = stream;
        continue;
      }
      ref = exec.states[source.step]?.output;
    } else ref = source.input === undefined ? source.ref : exec.run.inputs[source.input];
    // A missing ref is read anyway so the context reports REF_NOT_FOUND / REF_INVALID with its own words.
    const value = exec.context.get(ref as string);
    if (isThenable(value)) {
      const name = source.name;
      pending ??= [];
      pending.push(Promise.resolve(value).then((resolved) => (inputs[name] = resolved)));
    } else inputs[source.name] = value;
  }
  return pending === undefined ? inputs : Promise.all(pending).then(() => inputs);
}

/** `isCurrent` is false once the attempt is over: a timed-out attempt's late logs are not its retry's events. */
function stepLogger(exec: Execution, step: PreparedStep, child: Logger, isCurrent: () => boolean): StepLogger {
  if (!exec.events.listening) return child as unknown as StepLogger;
  const forward =
    (level: Level) =>
    (first: unknown, ...rest: unknown[]): void => {
      (child[level] as (...args: unknown[]) => void).call(child, first, ...rest);
      if (level === 'debug' || !isCurrent()) return;
      const message = typeof first === 'string' ? first : typeof rest[0] === 'string' ? rest[0] : '';
      exec.events.emit({ type: 'step.log', stepId: step.id, level, message });
    };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
