import { listRuns, loadRun, type RuntimeContext, type Store } from '@stepwise/core';
import { HttpError } from '../http-error.js';

/**
 * The run whose outputs a new run of `workflowId` takes over (`reuse` of POST /api/runs and
 * /api/plan): `latest` is the workflow's newest run (none yet: undefined, a plain new run), a run
 * id must be a run of that workflow. Which of its steps are kept is decided by the core, by step key.
 * @throws HttpError 404 `RUN_NOT_FOUND`, 400 `RUN_OF_ANOTHER_WORKFLOW`
 */
export async function reusedRun(
  context: RuntimeContext<Store>,
  workflowId: string,
  reuse: string | undefined,
): Promise<string | undefined> {
  if (reuse === undefined) return undefined;
  if (reuse === 'latest') {
    const page = await listRuns(context.store.runs, { workflowId, limit: 1 });
    return page.runs[0]?.id;
  }
  const found = await loadRun(context.store.runs, reuse);
  if (found === undefined) throw new HttpError(404, 'RUN_NOT_FOUND', `There is no run ${reuse}.`);
  if (found.workflowId !== workflowId)
    throw new HttpError(
      400,
      'RUN_OF_ANOTHER_WORKFLOW',
      `reuse: run ${reuse} is a run of workflow "${found.workflowId}", not of "${workflowId}".`,
    );
  return reuse;
}
