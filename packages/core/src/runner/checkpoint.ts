import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { isThenable, type MaybePromise } from '../maybe-promise.js';
import type { RunJournalEntry, RunRecord, StepRun } from '../model/run.js';
import { seqEntry, stepEntry } from '../runs/journal.js';
import { currentOwner, HEARTBEAT_MS } from '../runs/owner.js';
import type { RunStore } from './plan.js';
import type { Run } from './run.js';

/** The shortest and longest time between two checkpoints while steps change state. */
const MIN_INTERVAL_MS = 100;
const MAX_INTERVAL_MS = 1_000;
/** A checkpoint may cost at most 1/20 of the time between two. */
const COST_FACTOR = 20;

/** Options of a {@link Checkpoint}. */
export interface CheckpointOptions {
  /** Called once, with the error, when a write fails: the runner then stops the run. */
  onFailure(error: StepwiseError): void;
  /** Milliseconds between heartbeats (default {@link HEARTBEAT_MS}). */
  heartbeatMs?: number;
}

/**
 * Keeps a run's record durable while it executes: the record (with this process as owner) when
 * the run starts, then the changed steps appended to its journal, and the final record at the end.
 *
 * On a store that can append without waiting for the disk (one with `flush`: files, SQLite,
 * PostgreSQL), each transition is appended at once, before anyone can see it (its event, the steps
 * after it), so a killed process never loses a transition: where the append answers a promise (a
 * database over the network), {@link Checkpoint.mark} answers it, and the runner emits a completion
 * and starts the steps after it only once the store acknowledged it. The journal is flushed to disk
 * on an interval, the values its entries name first, so an OS crash loses at most the last
 * interval's transitions (those steps run again). On any other store, steps are marked as they
 * change state and their entries are written with the next checkpoint, one entry per changed step (a
 * step that starts and ends between two checkpoints costs one entry), each checkpoint durable, so a
 * killed process too loses at most the last interval's transitions.
 *
 * A flush or checkpoint is written once the interval has passed since the last one (by a timer, or
 * just before the next step starts, which covers steps that hold the thread): the interval is twenty
 * times what the last write took, from 100 ms to 1 s, so they cost at most about a twentieth of the
 * run's time on any store. Every flush or checkpoint carries a heartbeat, and a timer writes one
 * every `heartbeatMs` in between.
 */
export class Checkpoint {
  readonly #run: Run;
  readonly #runs: RunStore;
  readonly #options: CheckpointOptions;
  /** Each step's state, by index. */
  readonly #states: readonly StepRun[];
  /** The indexes of the steps changed since the last checkpoint, each once (`#isDirty`). */
  readonly #dirty: number[] = [];
  readonly #isDirty: Uint8Array;
  #seq = -1;
  #intervalMs = MIN_INTERVAL_MS;
  #lastWrite = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  /** The write in flight on an asynchronous store; the next one waits for it. */
  #writing: Promise<void> | undefined;
  /** The store appends each transition at once, and checkpoints flush (it has `flush`). */
  readonly #atOnce: boolean;
  /** Transitions were appended at once since the last flush. */
  #unflushed = false;
  /** The appends in flight on an asynchronous store, in order; a flush waits for them. */
  #appending: Promise<void> | undefined;
  #failed = false;
  #ended = false;

  constructor(run: Run, states: readonly StepRun[], options: CheckpointOptions & { runs: RunStore }) {
    this.#run = run;
    this.#runs = options.runs;
    this.#options = options;
    this.#states = states;
    this.#isDirty = new Uint8Array(states.length);
    this.#atOnce = options.runs.flush !== undefined;
  }

  /** True once a write failed. */
  get failed(): boolean {
    return this.#failed;
  }

  /**
   * Saves the run's record with this process as its owner, then starts the heartbeat.
   * @throws StepwiseError `RUN_RECORD_SAVE_FAILED` with the store's error as cause
   */
  async begin(record: RunRecord): Promise<void> {
    try {
      await this.#runs.save({ ...record, owner: currentOwner() });
    } catch (cause) {
      throw saveFailed(this.#run.id, 'could not be saved before the run started', cause);
    }
    this.#seq = this.#run.seq;
    this.#lastWrite = Date.now();
    const heartbeatMs = this.#options.heartbeatMs ?? HEARTBEAT_MS;
    this.#heartbeat = setInterval(() => void this.#write(), heartbeatMs);
    this.#heartbeat.unref();
  }

  /**
   * Notes that the step at `index` changed state: appended now where the store allows (durable with
   * the next flush), else written with the next checkpoint. Answers a promise only when the store's
   * append did: it resolves once the store acknowledged this append (and every one before it), and
   * never rejects (a failed write stops the run through `onFailure`). The runner waits for it before
   * it tells anyone of a transition a resume relies on (`step.completed`, a step after it starting).
   */
  mark(index: number): Promise<void> | undefined {
    if (this.#ended) return undefined;
    let written: Promise<void> | undefined;
    if (this.#atOnce) {
      if (this.#failed) return undefined;
      written = this.#append([stepEntry(this.#states[index] as StepRun)]);
      this.#unflushed = true;
    } else {
      if (this.#isDirty[index] === 1) return undefined;
      this.#isDirty[index] = 1;
      this.#dirty.push(index);
    }
    if (this.#timer === undefined) {
      const wait = Math.max(0, this.#lastWrite + this.#intervalMs - Date.now());
      this.#timer = setTimeout(this.#onTimer, wait);
      this.#timer.unref();
    }
    return written;
  }

  /** Writes a checkpoint when one is due at `now`: before a step starts, so a step holding the thread cannot delay it. */
  beforeStep(now: number): MaybePromise<void> {
    const pending = this.#atOnce ? this.#unflushed : this.#dirty.length > 0;
    if (!pending || now - this.#lastWrite < this.#intervalMs) return undefined;
    return this.#write();
  }

  /** Writes a checkpoint now (a step took an output it did not compute: its ref must be on record before it is used). */
  now(): MaybePromise<void> {
    return this.#write();
  }

  /**
   * Stops the timers and saves the final record (the owner removed), replacing the journal.
   * @throws StepwiseError `RUN_RECORD_SAVE_FAILED` with the store's error as cause
   */
  async end(record: RunRecord): Promise<void> {
    this.#ended = true;
    this.#stopTimers();
    await this.#writing?.catch(() => {});
    await this.#appending;
    try {
      await this.#runs.save(record);
    } catch (cause) {
      throw saveFailed(this.#run.id, 'could not be saved when the run ended', cause);
    }
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    void this.#write();
  };

  /**
   * Appends `entries` (and the event seq, when it changed) without waiting for the disk: in order,
   * after the appends in flight on an asynchronous store. A failure stops the run. Answers, on an
   * asynchronous store, the promise of this append, resolved once it is acknowledged or has failed.
   */
  #append(entries: RunJournalEntry[]): Promise<void> | undefined {
    if (this.#run.seq !== this.#seq) {
      this.#seq = this.#run.seq;
      entries.push(seqEntry(this.#seq));
    }
    const append = (): MaybePromise<void> => this.#runs.append(this.#run.id, entries, undefined, { durable: false });
    const before = this.#appending;
    let written: MaybePromise<void>;
    try {
      written = before === undefined ? append() : before.then(append);
    } catch (error) {
      this.#fail(error);
      return undefined;
    }
    if (!isThenable(written)) return undefined;
    const appending: Promise<void> = (written as Promise<void>).then(
      () => {
        if (this.#appending === appending) this.#appending = undefined;
      },
      (error: unknown) => this.#fail(error),
    );
    this.#appending = appending;
    return appending;
  }

  /** Flushes what was appended at once (and the event seq) with a heartbeat; answers a promise unless the store answered at once. */
  #flush(): MaybePromise<void> {
    if (this.#run.seq !== this.#seq) this.#append([]);
    this.#unflushed = false;
    const started = Date.now();
    const flush = (): MaybePromise<void> =>
      this.#runs.flush?.(this.#run.id, { update: { owner: currentOwner(started) } });
    return this.#settle(started, () => (this.#appending === undefined ? flush() : this.#appending.then(flush)));
  }

  /** Appends the changed steps (and the event seq) with a heartbeat, or flushes; answers a promise only for an asynchronous store. */
  #write(): MaybePromise<void> {
    if (this.#ended || this.#failed) return undefined;
    if (this.#writing !== undefined) return this.#writing.then(() => this.#write());
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#atOnce) return this.#flush();
    const entries: RunJournalEntry[] = [];
    for (const index of this.#dirty) {
      this.#isDirty[index] = 0;
      entries.push(stepEntry(this.#states[index] as StepRun));
    }
    this.#dirty.length = 0;
    if (this.#run.seq !== this.#seq) {
      this.#seq = this.#run.seq;
      entries.push(seqEntry(this.#seq));
    }
    const started = Date.now();
    return this.#settle(started, () => this.#runs.append(this.#run.id, entries, { owner: currentOwner(started) }));
  }

  /** Runs a write started at `started`: notes its cost when it ends, and stops the run when it fails. */
  #settle(started: number, write: () => MaybePromise<void>): MaybePromise<void> {
    let written: MaybePromise<void>;
    try {
      written = write();
    } catch (error) {
      this.#fail(error);
      return undefined;
    }
    if (!isThenable(written)) return this.#wrote(started);
    this.#writing = (written as Promise<void>).then(
      () => {
        this.#writing = undefined;
        this.#wrote(started);
      },
      (error: unknown) => {
        this.#writing = undefined;
        this.#fail(error);
      },
    );
    return this.#writing;
  }

  #wrote(started: number): undefined {
    const now = Date.now();
    this.#lastWrite = now;
    this.#intervalMs = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, COST_FACTOR * (now - started)));
    return undefined;
  }

  #fail(cause: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#stopTimers();
    this.#options.onFailure(saveFailed(this.#run.id, 'could not be written while the run executed', cause));
  }

  #stopTimers(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#timer = undefined;
    this.#heartbeat = undefined;
  }
}

function saveFailed(runId: string, when: string, cause: unknown): StepwiseError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new StepwiseError(ErrorCode.RUN_RECORD_SAVE_FAILED, `The record of run "${runId}" ${when}: ${why}`, {
    cause,
    details: { runId },
  });
}
