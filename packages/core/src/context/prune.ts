import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { RunSummary } from '../model/run.js';
import { liveStatus } from '../runs/owner.js';
import { isRef } from './ref.js';
import type { RunStore } from './run-store.js';
import type { Store } from './store.js';
import type { ValueMeta } from './value-store.js';

/**
 * How much run history a store keeps: the limits `stepwise prune` and a server's retention apply
 * (the config's `retention`, each limit not given taken from {@link DEFAULT_RETENTION}).
 */
export interface RetentionPolicy {
  /** Most runs kept, newest first; 0 removes every run. */
  keepRuns?: number;
  /** Runs that started longer ago than this many days are removed. */
  maxAgeDays?: number;
  /**
   * Most bytes of stored values the kept runs may use together (what each run references or
   * produced, counted once, as the value store recorded it): past it, the older runs are removed.
   * The newest run is kept whatever its size.
   */
  maxBytes?: number;
}

/** The retention when the config says nothing: 100 runs, 30 days, 10 GiB of values. */
export const DEFAULT_RETENTION: Readonly<Required<RetentionPolicy>> = Object.freeze({
  keepRuns: 100,
  maxAgeDays: 30,
  maxBytes: 10 * 1024 ** 3,
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** The {@link PruneOptions} limits of a policy, each limit not given taken from {@link DEFAULT_RETENTION}. */
export function retentionLimits(
  policy: RetentionPolicy = {},
): Pick<PruneOptions, 'keepRuns' | 'maxAgeMs' | 'maxBytes'> {
  const { keepRuns, maxAgeDays, maxBytes } = { ...DEFAULT_RETENTION, ...withoutUndefined(policy) };
  return { keepRuns, maxAgeMs: maxAgeDays * DAY_MS, maxBytes };
}

function withoutUndefined(policy: RetentionPolicy): RetentionPolicy {
  return Object.fromEntries(Object.entries(policy).filter(([, value]) => value !== undefined));
}

/** Options of {@link pruneStore}. */
export interface PruneOptions {
  /**
   * How many run records to keep, newest first (by their `startedAt`); 0 removes every finished
   * run. A run still running is always kept; an interrupted one (its process is gone: it can be
   * resumed) is kept unless it is older than `maxAgeMs`.
   */
  keepRuns: number;
  /** Also remove the runs that started longer ago than this (milliseconds before `now`). */
  maxAgeMs?: number;
  /** Also remove older runs once the kept runs' values pass this many bytes (see {@link RetentionPolicy.maxBytes}). */
  maxBytes?: number;
  /** Work out what would be removed, and remove nothing. */
  dryRun?: boolean;
  /**
   * A value that no run record (kept or removed) references and that no kept run produced is
   * removed only once it is older than this, in milliseconds (default one hour): it may be the
   * input of a run that another process is about to start. Temporary files that a killed write
   * left behind are removed once they are older than this too, and never before ten minutes (a
   * write of a large value may still be going on).
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
  /** How many temporary files left by interrupted writes were removed (a file store's). */
  tempFilesDeleted: number;
  /** The bytes of the removed values and temporary files, as the store recorded them (0 for a value of unknown size). */
  bytesFreed: number;
  /** The ids of the removed run records, newest first. */
  deletedRuns: string[];
  /** How many run records remain: those the limits keep, and every running or interrupted one. */
  runsKept: number;
}

const HOUR_MS = 60 * 60 * 1000;
/** A temporary file younger than this may belong to a write still in progress. */
const TEMP_MIN_AGE_MS = 10 * 60 * 1000;

/** A run record as far as pruning reads it. */
interface RunRefs {
  id: string;
  refs: Set<string>;
}

/**
 * Removes old runs and the data only they used: keeps the newest `keepRuns` runs (by their
 * `startedAt`) that started within `maxAgeMs` and whose values fit in `maxBytes` (a run still
 * running in a live process is always kept, an interrupted one unless it is older than `maxAgeMs`),
 * and every ref their records and journals mention (step outputs, workflow outputs, input refs,
 * refs in their workflow document), every value a kept run produced, and every cache entry whose
 * value remains; removes the other runs, the values nothing kept references, the cache entries
 * whose value is gone, and old temporary files. A value a kept run references is never removed, however old, and whichever run
 * produced it (a resumed or cached run's record lists the outputs it reused).
 *
 * Safe while other processes run workflows on the store: the cache entries of the values to remove
 * go first, then the runs are read again (a run started meanwhile, or one that took a cached value
 * and wrote it into its journal, keeps what it uses), and only then the values go. A run takes a
 * cache entry by writing its ref into its journal and then checking that the entry is still there
 * (see the runner), so either this second reading sees the ref, or the run finds the entry gone and
 * computes the step itself. The CLI's `stepwise prune` and a server's retention share it.
 * @example
 * const report = await pruneStore(new FileStore('.stepwise/store'), { keepRuns: 10 });
 * report; // { runsDeleted: 3, valuesDeleted: 12, cacheEntriesDeleted: 1, bytesFreed: 12582912, … }
 * @throws StepwiseError `FIELD_INVALID` when `keepRuns` is not a whole number of at least 0
 */
export async function pruneStore(store: Store, options: PruneOptions): Promise<PruneReport> {
  checkOptions(options);
  const now = options.now ?? Date.now();
  const summaries = await allRuns(store.runs);
  const runs = await Promise.all(summaries.map((run) => refsOf(store.runs, run.id)));
  const values = await valueMetas(store);
  const keep = keptRuns(summaries, runs, values, { ...options, now });
  const kept = runs.filter((_, i) => keep[i]);
  const dropped = runs.filter((_, i) => !keep[i]);
  const graceMs = options.orphanGraceMs ?? HOUR_MS;
  const orphansBefore = now - graceMs;
  const doomed = doomedValues(values, { kept, dropped, orphansBefore });
  const staleEntries: string[] = [];
  for (const key of await store.cache.keys()) {
    const ref = await cachedRefOf(store, key);
    if (ref === undefined || doomed.has(ref) || !(await store.values.has(ref))) staleEntries.push(key);
  }
  const dryRun = options.dryRun === true;
  if (!dryRun) {
    for (const run of dropped) await store.runs.delete(run.id);
    // entries first: a run that takes one from now on misses it and computes the step itself
    for (const key of staleEntries) await store.cache.delete(key);
    const settled = new Set(summaries.filter((run, i) => keep[i] && finished(run, now)).map((run) => run.id));
    await spareWhatRunsUseNow(store, doomed, settled);
    for (const ref of doomed.keys()) await store.values.delete(ref);
  }
  const swept = (await store.sweep?.(now - Math.max(graceMs, TEMP_MIN_AGE_MS), dryRun)) ?? { files: 0, bytes: 0 };
  let bytesFreed = swept.bytes;
  for (const { bytes } of doomed.values()) bytesFreed += bytes;
  return {
    runsDeleted: dropped.length,
    valuesDeleted: doomed.size,
    cacheEntriesDeleted: staleEntries.length,
    tempFilesDeleted: swept.files,
    bytesFreed,
    deletedRuns: dropped.map((run) => run.id),
    runsKept: kept.length,
  };
}

/** True for a run that ended (completed, failed, cancelled); false while it runs or is interrupted. */
function finished(run: RunSummary, now: number): boolean {
  const status = liveStatus(run, { now });
  return status !== 'running' && status !== 'pending' && status !== 'interrupted';
}

/**
 * Takes out of `doomed` every value that a run in the store now references or produced: runs
 * started since the first reading, and what running runs wrote into their journals since (a cached
 * value they took). Runs removed by this prune produce nothing more; one saved again under its id
 * (resumed meanwhile) is read like any other. A kept run that had finished at the first reading
 * (`settled`) and still has is not read again: its refs are spared already.
 */
async function spareWhatRunsUseNow(store: Store, doomed: Map<string, Doomed>, settled: Set<string>): Promise<void> {
  if (doomed.size === 0) return;
  const runs = await allRuns(store.runs);
  const present = new Set(runs.map((run) => run.id));
  const now = Date.now();
  for (const run of runs) {
    if (settled.has(run.id) && finished(run, now)) continue;
    for (const ref of (await refsOf(store.runs, run.id)).refs) doomed.delete(ref);
  }
  for (const [ref, { producer }] of doomed) if (producer !== undefined && present.has(producer)) doomed.delete(ref);
}

/** Every run's summary, newest first, page by page. */
async function allRuns(runs: RunStore): Promise<RunSummary[]> {
  const all: RunSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await runs.list({ limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
    all.push(...page.runs);
    cursor = page.next;
  } while (cursor !== undefined);
  return all;
}

/** Every value's metadata (undefined when damaged), by ref. */
async function valueMetas(store: Store): Promise<Map<string, ValueMeta | undefined>> {
  const metas = new Map<string, ValueMeta | undefined>();
  for (const ref of await store.values.list()) metas.set(ref, await metaOf(store, ref));
  return metas;
}

/**
 * Which runs (newest first) the limits keep: a run in a live process always; an interrupted one
 * (resumable) while it is within `maxAgeMs`; else within
 * `keepRuns` and `maxAgeMs`, and while the values of the runs kept so far fit in `maxBytes` (the
 * first run past the budget and every older one go; the newest run stays whatever its size).
 */
function keptRuns(
  summaries: readonly RunSummary[],
  runs: readonly RunRefs[],
  values: ReadonlyMap<string, ValueMeta | undefined>,
  options: PruneOptions & { now: number },
): boolean[] {
  const produced = new Map<string, string[]>();
  for (const [ref, meta] of values) {
    const runId = meta?.producer?.runId;
    if (runId !== undefined) produced.set(runId, [...(produced.get(runId) ?? []), ref]);
  }
  const counted = new Set<string>();
  let bytes = 0;
  let overBudget = false;
  let kept = 0;
  return summaries.map((summary, i) => {
    const status = liveStatus(summary, { now: options.now });
    if (status === 'running' || status === 'pending') return true;
    const tooOld = options.maxAgeMs !== undefined && summary.startedAt < options.now - options.maxAgeMs;
    // resumable: kept past keepRuns and maxBytes, until it is older than maxAgeMs
    if (status === 'interrupted') return !tooOld;
    if (kept >= options.keepRuns || tooOld) return false;
    if (overBudget) return false;
    if (options.maxBytes !== undefined) {
      let added = 0;
      for (const ref of [...(runs[i]?.refs ?? []), ...(produced.get(summary.id) ?? [])]) {
        if (counted.has(ref) || !values.has(ref)) continue;
        counted.add(ref);
        added += values.get(ref)?.bytes ?? 0;
      }
      if (kept > 0 && bytes + added > options.maxBytes) {
        overBudget = true;
        return false;
      }
      bytes += added;
    }
    kept += 1;
    return true;
  });
}

/** A value to remove: its bytes, and the run that produced it. */
interface Doomed {
  bytes: number;
  producer: string | undefined;
}

/**
 * The values to remove: those a removed run references or produced, those with damaged
 * metadata, and orphans created before `orphansBefore`; never one that a kept run references or
 * produced.
 */
function doomedValues(
  values: ReadonlyMap<string, ValueMeta | undefined>,
  runs: { kept: RunRefs[]; dropped: RunRefs[]; orphansBefore: number },
): Map<string, Doomed> {
  const keptIds = new Set(runs.kept.map((run) => run.id));
  const droppedIds = new Set(runs.dropped.map((run) => run.id));
  const keptRefs = unionOf(runs.kept);
  const droppedRefs = unionOf(runs.dropped);
  const doomed = new Map<string, Doomed>();
  for (const [ref, meta] of values) {
    const producer = meta?.producer?.runId;
    if (keptRefs.has(ref) || (producer !== undefined && keptIds.has(producer))) continue;
    const byDroppedRun = droppedRefs.has(ref) || (producer !== undefined && droppedIds.has(producer));
    if (byDroppedRun || meta === undefined || meta.createdAt < runs.orphansBefore)
      doomed.set(ref, { bytes: meta?.bytes ?? 0, producer });
  }
  return doomed;
}

function checkOptions(options: PruneOptions): void {
  const { keepRuns, orphanGraceMs, maxAgeMs, maxBytes } = options;
  for (const [name, value] of [
    ['maxAgeMs', maxAgeMs],
    ['maxBytes', maxBytes],
  ] as const)
    if (value !== undefined && !(typeof value === 'number' && value >= 0))
      throw new StepwiseError(ErrorCode.FIELD_INVALID, `${name} must be a number of at least 0, got ${String(value)}.`);
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

/** Every ref the run's record and journal mention; a record that cannot be read mentions none. */
async function refsOf(runs: RunStore, id: string): Promise<RunRefs> {
  let stored: unknown;
  try {
    stored = await runs.load(id);
  } catch {
    stored = undefined;
  }
  return { id, refs: refsIn(stored) };
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

function unionOf(runs: RunRefs[]): Set<string> {
  const refs = new Set<string>();
  for (const run of runs) for (const ref of run.refs) refs.add(ref);
  return refs;
}

/** The value's metadata, or undefined when it is damaged (the value is then unreadable anyway). */
async function metaOf(store: Store, ref: string): Promise<ValueMeta | undefined> {
  try {
    return await store.values.meta(ref);
  } catch {
    return undefined;
  }
}

/** The entry's ref, or undefined when the entry is damaged. */
async function cachedRefOf(store: Store, key: string): Promise<string | undefined> {
  try {
    return await store.cache.get(key);
  } catch {
    return undefined;
  }
}
