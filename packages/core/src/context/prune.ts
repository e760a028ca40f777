import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { ContextStore, ValueMeta } from './context-store.js';
import { isRef } from './ref.js';
import type { RuntimeContext } from './runtime-context.js';

/** Options of {@link pruneStore}. */
export interface PruneOptions {
  /** How many run records to keep, newest first (by their `startedAt`); 0 removes every run. */
  keepRuns: number;
  /** Work out what would be removed, and remove nothing. */
  dryRun?: boolean;
  /**
   * A value that no run record (kept or removed) references and that no kept run produced is
   * removed only once it is older than this, in milliseconds (default one hour): it may belong
   * to a run still in progress in another process, whose record is saved when it ends.
   */
  orphanGraceMs?: number;
  /** The current time in epoch milliseconds (default `Date.now()`), against which the grace is measured. */
  now?: number;
}

/** What {@link pruneStore} removed (or, with `dryRun`, would remove). */
export interface PruneReport {
  /** How many run records were removed. */
  runsDeleted: number;
  /** How many values were removed. */
  valuesDeleted: number;
  /** How many cache entries were removed (their value is gone, or they were unreadable). */
  cacheEntriesDeleted: number;
  /** The bytes of the removed values, as the store recorded them (0 for a value of unknown size). */
  bytesFreed: number;
  /** The ids of the removed run records, newest first. */
  deletedRuns: string[];
  /** How many run records remain. */
  runsKept: number;
}

const HOUR_MS = 60 * 60 * 1000;

/** A run record as far as pruning reads it. */
interface RunSummary {
  id: string;
  /** `-Infinity` for a record that cannot be read: it counts as the oldest. */
  startedAt: number;
  refs: Set<string>;
}

/**
 * Removes old runs and the data only they used: keeps the newest `keepRuns` run records and
 * every ref they mention (step outputs, workflow outputs, input refs, refs in their workflow
 * document), every value a kept run produced, and every cache entry whose value remains;
 * removes the other run records, the values nothing kept references, and the cache entries
 * whose value is gone. A value a kept run references is never removed, however old, and
 * whichever run produced it (a resumed or cached run's record lists the outputs it reused).
 * @example
 * const report = pruneStore(new RuntimeContext({ store: new FileStore('.stepwise/store') }), { keepRuns: 10 });
 * report; // { runsDeleted: 3, valuesDeleted: 12, cacheEntriesDeleted: 1, bytesFreed: 12582912, … }
 * @throws StepwiseError `FIELD_INVALID` when `keepRuns` is not a whole number of at least 0
 */
export function pruneStore(context: RuntimeContext, options: PruneOptions): PruneReport {
  checkOptions(options);
  const { store } = context;
  const runs = store
    .listRuns()
    .map((id) => summarize(store, id))
    .sort((a, b) => b.startedAt - a.startedAt || (a.id < b.id ? 1 : -1));
  const kept = runs.slice(0, options.keepRuns);
  const dropped = runs.slice(options.keepRuns);
  const doomed = doomedValues(store, kept, dropped, (options.now ?? Date.now()) - (options.orphanGraceMs ?? HOUR_MS));
  const staleEntries = store.listCacheEntries().filter((key) => {
    const ref = cachedRefOf(store, key);
    return ref === undefined || doomed.has(ref) || !store.has(ref);
  });
  if (options.dryRun !== true) {
    for (const run of dropped) store.deleteRun(run.id);
    // entries first: a concurrent run then misses the cache rather than reading a value being removed
    for (const key of staleEntries) store.deleteCacheEntry(key);
    for (const ref of doomed.keys()) store.delete(ref);
  }
  let bytesFreed = 0;
  for (const bytes of doomed.values()) bytesFreed += bytes;
  return {
    runsDeleted: dropped.length,
    valuesDeleted: doomed.size,
    cacheEntriesDeleted: staleEntries.length,
    bytesFreed,
    deletedRuns: dropped.map((run) => run.id),
    runsKept: kept.length,
  };
}

/**
 * The values to remove, with their bytes: those a removed run references or produced, those
 * with damaged metadata, and orphans created before `orphansBefore`; never one that a kept run
 * references or produced.
 */
function doomedValues(
  store: ContextStore,
  kept: RunSummary[],
  dropped: RunSummary[],
  orphansBefore: number,
): Map<string, number> {
  const keptIds = new Set(kept.map((run) => run.id));
  const droppedIds = new Set(dropped.map((run) => run.id));
  const keptRefs = unionOf(kept);
  const droppedRefs = unionOf(dropped);
  const doomed = new Map<string, number>();
  for (const ref of store.list()) {
    const meta = metaOf(store, ref);
    const producer = meta?.producer?.runId;
    if (keptRefs.has(ref) || (producer !== undefined && keptIds.has(producer))) continue;
    const byDroppedRun = droppedRefs.has(ref) || (producer !== undefined && droppedIds.has(producer));
    if (byDroppedRun || meta === undefined || meta.createdAt < orphansBefore) doomed.set(ref, meta?.bytes ?? 0);
  }
  return doomed;
}

function checkOptions(options: PruneOptions): void {
  const { keepRuns, orphanGraceMs } = options;
  if (!Number.isInteger(keepRuns) || keepRuns < 0)
    throw new StepwiseError(
      ErrorCode.FIELD_INVALID,
      `keepRuns must be a whole number of at least 0 (the newest runs to keep), got ${String(keepRuns)}.`,
    );
  if (orphanGraceMs !== undefined && !(orphanGraceMs >= 0))
    throw new StepwiseError(
      ErrorCode.FIELD_INVALID,
      `orphanGraceMs must be a number of milliseconds of at least 0, got ${String(orphanGraceMs)}.`,
    );
}

/** The record's start time and every ref it mentions; an unreadable record has none and counts as oldest. */
function summarize(store: ContextStore, id: string): RunSummary {
  let record: unknown;
  try {
    record = store.loadRun(id);
  } catch {
    record = undefined;
  }
  const startedAt = (record as { startedAt?: unknown } | undefined)?.startedAt;
  return {
    id,
    startedAt: typeof startedAt === 'number' && Number.isFinite(startedAt) ? startedAt : Number.NEGATIVE_INFINITY,
    refs: refsIn(record),
  };
}

/**
 * Every ref anywhere in a record. Reading the whole record, not only the fields known today
 * (steps[].output, outputs, inputs), also keeps the refs a workflow document fixes as inputs.
 */
function refsIn(record: unknown, into = new Set<string>()): Set<string> {
  if (isRef(record)) into.add(record);
  else if (Array.isArray(record)) for (const item of record) refsIn(item, into);
  else if (record !== null && typeof record === 'object') for (const item of Object.values(record)) refsIn(item, into);
  return into;
}

function unionOf(runs: RunSummary[]): Set<string> {
  const refs = new Set<string>();
  for (const run of runs) for (const ref of run.refs) refs.add(ref);
  return refs;
}

/** The value's metadata, or undefined when it is damaged (the value is then unreadable anyway). */
function metaOf(store: ContextStore, ref: string): ValueMeta | undefined {
  try {
    return store.meta(ref);
  } catch {
    return undefined;
  }
}

/** The entry's ref, or undefined when the entry is damaged. */
function cachedRefOf(store: ContextStore, key: string): string | undefined {
  try {
    return store.readCacheEntry(key);
  } catch {
    return undefined;
  }
}
