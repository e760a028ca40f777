import { listRuns, loadRun, type RunRecord, Workflow } from '@stepwise/core';
import { z } from 'zod';
import { type ApiRoute, route } from '../api-route.js';
import { HttpError } from '../http-error.js';
import { publicRecord } from '../public-errors.js';
import { reusedRun } from '../runs/reused-run.js';
import { resumeRequest, runIdParams, runRequest, runsQuery } from '../schemas.js';
import type { ServerState } from '../state.js';

const started = z.object({ runId: z.string(), queued: z.boolean() });

/** Runs: start, list, get, cancel, resume. */
export function runRoutes(state: ServerState): ApiRoute[] {
  const { runs, context, files } = state;
  const registry = state.project.registry;
  const record = async (id: string): Promise<RunRecord> => {
    const found = await loadRun(context.store.runs, id);
    if (found === undefined) throw new HttpError(404, 'RUN_NOT_FOUND', `There is no run ${id}.`);
    return found;
  };
  return [
    route({
      method: 'POST',
      url: '/api/runs',
      tag: 'runs',
      summary:
        'Starts a run of a saved workflow (workflowId) or of a posted document, with input refs and a concurrency (reuse: take over the completed outputs of the latest run, or of a run id, by step key); 202 once it has begun or is queued, 429 with Retry-After when the server is full.',
      body: runRequest,
      status: 202,
      response: started,
      handler: async ({ body }) => {
        const document = body.workflowId === undefined ? body.document : files.get(body.workflowId).document;
        // every document goes through the same validation as parseWorkflow: an invalid one is a 400 with its issues
        const workflow = Workflow.fromJSON(document, { registry });
        const from = await reusedRun(context, workflow.id, body.reuse);
        return runs.start(workflow, { inputs: body.inputs ?? {}, concurrency: body.concurrency, from });
      },
    }),
    route({
      method: 'GET',
      url: '/api/runs',
      tag: 'runs',
      summary:
        'The runs in the history, newest first, filtered by workflowId, status (a comma list) and start time; `next` is the cursor of the following page.',
      query: runsQuery,
      response: z.object({
        runs: z.array(z.object({ id: z.string(), workflowId: z.string(), status: z.string() }).loose()),
        next: z.string().optional(),
      }),
      handler: async ({ query }) => {
        const { workflowId, status, startedFrom, startedBefore, limit, cursor } = query;
        return listRuns(context.store.runs, {
          ...(workflowId === undefined ? {} : { workflowId }),
          ...(status === undefined ? {} : { status }),
          ...(startedFrom === undefined ? {} : { startedFrom }),
          ...(startedBefore === undefined ? {} : { startedBefore }),
          ...(limit === undefined ? {} : { limit }),
          ...(cursor === undefined ? {} : { cursor }),
        });
      },
    }),
    route({
      method: 'GET',
      url: '/api/runs/:id',
      tag: 'runs',
      summary:
        "A run: its record (steps with status, attempts, times, errors and output refs) and `values`, each output ref's info (type, rows, bytes); a queued run answers status pending and queued.",
      params: runIdParams,
      response: z.object({ id: z.string(), status: z.string() }).loose(),
      handler: async ({ params }) => {
        const queued = runs.queued(params.id);
        if (queued !== undefined) return queued;
        const found = await record(params.id);
        return { ...publicRecord(found, state.scrub), values: await valuesOf(state, found) };
      },
    }),
    route({
      method: 'POST',
      url: '/api/runs/:id/cancel',
      tag: 'runs',
      summary: 'Cancels a run executing or queued on this server: 202; its steps stop and its record says cancelled.',
      params: runIdParams,
      status: 202,
      response: z.object({ runId: z.string() }),
      handler: async ({ params }) => {
        if (runs.cancel(params.id)) return { runId: params.id };
        const found = await record(params.id);
        throw new HttpError(409, 'RUN_NOT_RUNNING', `Run ${params.id} is ${found.status}, not running on this server.`);
      },
    }),
    route({
      method: 'POST',
      url: '/api/runs/:id/resume',
      tag: 'runs',
      summary:
        'Continues a failed, cancelled or interrupted run, with `document` (the workflow as it is now) or the one it ran: unchanged completed steps keep their outputs (see POST /api/plan?resume=).',
      params: runIdParams,
      body: resumeRequest,
      status: 202,
      response: started,
      handler: async ({ params, body }) => {
        const found = await record(params.id);
        const document = body?.document;
        const workflow = document === undefined ? undefined : Workflow.fromJSON(document, { registry });
        return runs.resume(params.id, found.workflowId, workflow);
      },
    }),
  ];
}

/**
 * The info of every output ref of a run (type, rows, bytes), for the values still in the store; a lazy
 * value's rows once a preview or download has run its query.
 */
async function valuesOf(state: ServerState, record: RunRecord): Promise<Record<string, unknown>> {
  const refs = new Set<string>(Object.values(record.outputs));
  for (const step of record.steps) if (step.output !== undefined) refs.add(step.output);
  const values: Record<string, unknown> = {};
  for (const ref of refs) {
    try {
      const { type, rows = state.lazyRows.get(ref), bytes, createdAt } = await state.context.info(ref);
      values[ref] = {
        type,
        createdAt,
        ...(rows === undefined ? {} : { rows }),
        ...(bytes === undefined ? {} : { bytes }),
      };
    } catch {
      // pruned since
    }
  }
  return values;
}
