import type { RunEvent } from '@stepwise/core';

/** Events kept per run for replay; beyond it the oldest are dropped (a step that logs without end). */
export const MAX_EVENTS_PER_RUN = 10_000;

/** Receives a run's events as they are kept; `end` once the run's last event was sent. */
export interface EventSubscriber {
  event(event: RunEvent): void;
  end(): void;
}

const TERMINAL = new Set<RunEvent['type']>(['run.completed', 'run.failed', 'run.cancelled']);

/**
 * A run's events as an event stream replays them: in `seq` order, each once, progress coalesced
 * to one event per step per `intervalMs` (the latest one, sent when the interval ends unless a
 * later event came first), and ended by the run's last event (a resume opens it again).
 */
export class EventLog {
  readonly runId: string;
  readonly #intervalMs: number;
  readonly #events: RunEvent[] = [];
  readonly #subscribers = new Set<EventSubscriber>();
  /** When each step's last progress event was kept. */
  readonly #progressAt = new Map<string, number>();
  /** The latest progress event of a step held back, and the timer that keeps it. */
  #held: { event: RunEvent; timer: NodeJS.Timeout } | undefined;
  #ended = false;

  readonly #onKeep: ((event: RunEvent) => void) | undefined;

  /** `onKeep` receives each event kept (what streams send), e.g. to store it. */
  constructor(runId: string, intervalMs: number, onKeep?: (event: RunEvent) => void) {
    this.runId = runId;
    this.#intervalMs = intervalMs;
    this.#onKeep = onKeep;
  }

  /** True once the run's last event is in (until a resume). */
  get ended(): boolean {
    return this.#ended;
  }

  /** The seq of the last event kept (0 for none). */
  get lastSeq(): number {
    return this.#events.at(-1)?.seq ?? 0;
  }

  /** Subscribers now (for tests and status). */
  get subscribers(): number {
    return this.#subscribers.size;
  }

  /** Takes the runner's next event. */
  push(event: RunEvent): void {
    if (event.type === 'run.started') this.#ended = false;
    if (event.type === 'step.progress') {
      const last = this.#progressAt.get(event.stepId);
      const now = Date.now();
      if (last !== undefined && now - last < this.#intervalMs) {
        this.#hold(event, last + this.#intervalMs - now);
        return;
      }
      this.#progressAt.set(event.stepId, now);
    }
    // a held progress event older than this one is dropped: the stream stays in seq order
    this.#dropHeld();
    this.#keep(event);
  }

  /** Events after `seq`, in order. */
  after(seq: number): RunEvent[] {
    const events = this.#events;
    let low = 0;
    let high = events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((events[middle] as RunEvent).seq <= seq) low = middle + 1;
      else high = middle;
    }
    return events.slice(low);
  }

  /** Adds a subscriber; the answer removes it. */
  subscribe(subscriber: EventSubscriber): () => void {
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  /** Ends the log without a last event (the run could not start): subscribers are told and let go. */
  close(): void {
    this.#dropHeld();
    this.#end();
  }

  #hold(event: RunEvent, delayMs: number): void {
    this.#dropHeld();
    const timer = setTimeout(() => {
      this.#held = undefined;
      if (event.type === 'step.progress') this.#progressAt.set(event.stepId, Date.now());
      this.#keep(event);
    }, delayMs);
    timer.unref();
    this.#held = { event, timer };
  }

  #dropHeld(): void {
    if (this.#held === undefined) return;
    clearTimeout(this.#held.timer);
    this.#held = undefined;
  }

  #keep(event: RunEvent): void {
    this.#events.push(event);
    this.#onKeep?.(event);
    if (this.#events.length > MAX_EVENTS_PER_RUN) this.#events.splice(0, this.#events.length - MAX_EVENTS_PER_RUN);
    for (const subscriber of [...this.#subscribers]) subscriber.event(event);
    if (TERMINAL.has(event.type)) this.#end();
  }

  #end(): void {
    this.#ended = true;
    this.#progressAt.clear();
    for (const subscriber of [...this.#subscribers]) subscriber.end();
  }
}
