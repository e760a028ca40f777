import type { MaybePromise, RunEvent, RunStore } from '@stepwise/core';

/** Options of {@link HistoryStore.readEvents}. */
export interface ReadEventsOptions {
  /** Only events with a higher sequence number (a client's `Last-Event-ID`); default: from the first. */
  after?: number;
  /** Most events answered: 1 to 10,000, default 1,000. */
  limit?: number;
}

/**
 * A run store kept in a database (SQLite or PostgreSQL): runs, their steps and journals, and the
 * events each run reported, kept across restarts and shared by every process that opens it.
 * Open one with {@link openHistory}.
 */
export interface HistoryStore extends RunStore {
  /** Which database holds it. */
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Keeps a run's events (what the runner reported, each with its `seq`); an event whose `seq` the
   * run already has is ignored, so replaying a batch is harmless.
   * @throws StepwiseError `RUN_ID_INVALID`, `RUN_NOT_FOUND` (never saved), `RUN_RECORD_INVALID`
   */
  appendEvents(runId: string, events: readonly RunEvent[]): MaybePromise<void>;
  /** The run's events in `seq` order, after `options.after`. */
  readEvents(runId: string, options?: ReadEventsOptions): MaybePromise<RunEvent[]>;
  /** Closes the connection (or pool); the store answers nothing after. */
  close(): MaybePromise<void>;
}
