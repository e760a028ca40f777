import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { RunRecord } from '../model/run.js';
import type { StepRegistry } from '../registry/step-registry.js';
import { isThisProcess } from '../runs/owner.js';
import { loadRun } from '../runs/read-runs.js';
import type { RuntimeContext, Store, Workflow } from './plan.js';
import { Run } from './run.js';

/** What a resume continues: the run, and the record of where it stood (its earlier state). */
export interface ResumeTarget {
  run: Run;
  earlier: RunRecord;
}

/**
 * The run a resume continues, and its record as it stands: a {@link Run} of this process, or a run
 * record or run id from the context's run store (journal applied). Refuses a run another process
 * is still executing.
 * @throws StepwiseError `RUN_NOT_FOUND`, `RUN_NOT_RESUMABLE`
 */
export async function resumeTarget(
  run: Run | RunRecord | string,
  options: { registry: StepRegistry; context: RuntimeContext<Store> | undefined; workflow: Workflow | undefined },
): Promise<ResumeTarget> {
  if (run instanceof Run) {
    const earlier = run.toJSON();
    if (options.workflow === undefined) return { run, earlier };
    return { run: Run.fromJSON(earlier, { ...options, context: run.context, workflow: options.workflow }), earlier };
  }
  const { context } = options;
  const id = typeof run === 'string' ? run : String((run as Partial<RunRecord> | null)?.id);
  if (context === undefined)
    throw new StepwiseError(
      ErrorCode.RUN_NOT_RESUMABLE,
      `Resuming run "${id}" needs the context holding its data: runner.resume(run, { context }).`,
    );
  // the store's record is the truth (its journal applied); a record given may be an older copy
  const stored =
    typeof run === 'string' || typeof run?.id === 'string' ? await loadRun(context.store.runs, id) : undefined;
  if (typeof run === 'string' && stored === undefined)
    throw new StepwiseError(ErrorCode.RUN_NOT_FOUND, `Run "${id}" is not in the run store of the context given.`, {
      details: { runId: id },
    });
  let earlier = stored ?? (run as RunRecord);
  if (earlier.status === 'running' || earlier.status === 'pending') {
    // The resume holds this process's claim on the run, so a record owned by this process is not
    // executing here: its owner was an earlier process with the same pid (a container restarted).
    if (!isThisProcess(earlier.owner)) throw stillRunning(earlier);
    earlier = { ...earlier, status: 'interrupted' };
  }
  const target = Run.fromJSON(earlier, {
    registry: options.registry,
    context,
    ...(options.workflow === undefined ? {} : { workflow: options.workflow }),
  });
  return { run: target, earlier };
}

function stillRunning(record: RunRecord): StepwiseError {
  const owner = record.owner;
  const where =
    owner === undefined
      ? ''
      : ` in process ${owner.pid} on ${owner.host} (last heartbeat ${Math.round((Date.now() - owner.heartbeatAt) / 1000)} s ago)`;
  return new StepwiseError(
    ErrorCode.RUN_NOT_RESUMABLE,
    `Run "${record.id}" is still running${where}; wait for it to end, or stop that process (it is then interrupted, and can be resumed).`,
    { details: { runId: record.id, ...(owner === undefined ? {} : { owner }) } },
  );
}
