import { hostname } from 'node:os';
import type { RunOwner, RunStatus, RunSummary } from '../model/run.js';

/** How often a running run's owner writes a heartbeat (milliseconds), besides every checkpoint. */
export const HEARTBEAT_MS = 10_000;

/**
 * How old a heartbeat may be before its run counts as interrupted (milliseconds): six missed
 * heartbeats. A step that blocks its thread this long (CPU-bound work on the inline executor) makes
 * its run look interrupted to other processes; run such steps on threads.
 */
export const OWNER_STALE_MS = 60_000;

/** Options of the readers that tell a live run from an interrupted one. */
export interface LivenessOptions {
  /** The current time, epoch milliseconds (default `Date.now()`). */
  now?: number;
  /** A heartbeat older than this means the owner is gone (default {@link OWNER_STALE_MS}). */
  staleAfterMs?: number;
}

const host = hostname();
/** The runs this process is executing now, whichever runner executes them. */
const localRuns = new Set<string>();

/** This process as the owner of a run, with a heartbeat at `now`. */
export function currentOwner(now = Date.now()): RunOwner {
  return { pid: process.pid, host, heartbeatAt: now };
}

/** True when `owner` is this process (its pid on this host). */
export function isThisProcess(owner: RunOwner | undefined): boolean {
  return owner !== undefined && owner.host === host && owner.pid === process.pid;
}

/** Marks `runId` as executing in this process; false when it already is (a second execution is refused). */
export function claimLocalRun(runId: string): boolean {
  if (localRuns.has(runId)) return false;
  localRuns.add(runId);
  return true;
}

/** Marks `runId` as no longer executing in this process. */
export function releaseLocalRun(runId: string): void {
  localRuns.delete(runId);
}

/**
 * True while the process that owns a run is alive: in this process, while a runner executes the
 * run; on this host, while the process exists and its heartbeat is fresh (an old heartbeat means
 * the pid was reused or the process hangs); on another host, while the heartbeat is fresh.
 */
export function ownerAlive(runId: string, owner: RunOwner | undefined, options: LivenessOptions = {}): boolean {
  if (owner === undefined) return false;
  if (owner.host === host && owner.pid === process.pid) return localRuns.has(runId);
  if (owner.host === host && !processExists(owner.pid)) return false;
  const now = options.now ?? Date.now();
  return now - owner.heartbeatAt <= (options.staleAfterMs ?? OWNER_STALE_MS);
}

/**
 * The status a reader shows for a run: `interrupted` when the store says it is running (or about to)
 * but its owner is gone, else the stored status.
 */
export function liveStatus(
  summary: Pick<RunSummary, 'id' | 'status' | 'owner'>,
  options: LivenessOptions = {},
): RunStatus {
  const { status } = summary;
  if (status !== 'running' && status !== 'pending') return status;
  return ownerAlive(summary.id, summary.owner, options) ? status : 'interrupted';
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
