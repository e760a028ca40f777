// runs as readers see them: journals applied, and `interrupted` when a run's owner is gone
export { foldRun, seqEntry, stepEntry } from './journal.js';
export {
  claimLocalRun,
  currentOwner,
  HEARTBEAT_MS,
  isThisProcess,
  type LivenessOptions,
  liveStatus,
  OWNER_STALE_MS,
  ownerAlive,
  releaseLocalRun,
} from './owner.js';
export { listRuns, loadRun } from './read-runs.js';
