import type { Logger } from '../logger.js';
import type { RunEvent } from '../model/run.js';
import type { Run } from './run.js';

/** A {@link RunEvent} before the runner stamps `runId`, `seq` and `ts` on it. */
export type RunEventDraft = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'runId' | 'seq' | 'ts'>
    : never
  : never;

/**
 * Stamps and delivers a run's events. Callers check `listening` before building an event, so a
 * run nobody watches allocates none. A listener that throws is logged, never propagated.
 */
export class RunEvents {
  readonly listening: boolean;
  readonly #run: Run;
  readonly #listener: ((event: RunEvent) => void) | undefined;
  readonly #logger: Logger;

  constructor(run: Run, listener: ((event: RunEvent) => void) | undefined, logger: Logger) {
    this.#run = run;
    this.#listener = listener;
    this.#logger = logger;
    this.listening = listener !== undefined;
  }

  /** Stamps `runId`, the next `seq` and `ts` on `draft` and hands it to the listener. */
  emit(draft: RunEventDraft): void {
    const listener = this.#listener;
    if (listener === undefined) return;
    const run = this.#run;
    run.seq += 1;
    const event = { runId: run.id, seq: run.seq, ts: Date.now(), ...draft } as RunEvent;
    try {
      listener(event);
    } catch (error) {
      this.#logger.warn({ err: error, event: event.type }, 'onEvent listener threw; the run goes on');
    }
  }
}
