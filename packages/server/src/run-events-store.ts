import type { MaybePromise, RunEvent, RunStore } from '@stepwise/core';

/** A run store that also keeps each run's events (`@stepwise/history`'s SQLite and PostgreSQL stores). */
export interface EventKeepingStore extends RunStore {
  appendEvents(runId: string, events: readonly RunEvent[]): MaybePromise<void>;
  readEvents(runId: string, options?: { after?: number; limit?: number }): MaybePromise<RunEvent[]>;
}

/** The run store when it keeps events, so that streams replay across restarts; else undefined. */
export function eventKeeping(runs: RunStore): EventKeepingStore | undefined {
  const candidate = runs as Partial<EventKeepingStore>;
  return typeof candidate.appendEvents === 'function' && typeof candidate.readEvents === 'function'
    ? (runs as EventKeepingStore)
    : undefined;
}
