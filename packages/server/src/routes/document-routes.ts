import {
  type StepRegistry,
  type StepShape,
  stepShapes,
  type ValidationIssue,
  validateDocument,
  Workflow,
  workflowDocumentJsonSchema,
} from '@stepwise/core';
import { pushdownSegments, type SegmentStep } from '@stepwise/dataframe';
import { z } from 'zod';
import { type ApiRoute, duplicateKeysOf, route } from '../api-route.js';
import { reusedRun } from '../runs/reused-run.js';
import { planQuery, validationSchema } from '../schemas.js';
import type { ServerState } from '../state.js';

/** An issue as the API sends it: code, array path, message (paths taken out), and its data. */
export function issueJson(issue: ValidationIssue, scrub: (text: string) => string) {
  return { ...issue, message: scrub(issue.message) };
}

/** The inferred output of each step: of a valid document from the `infer` hooks, else each known type's output type. */
export function shapesOf(document: unknown, valid: boolean, registry: StepRegistry): Record<string, StepShape> {
  if (valid) return stepShapes(Workflow.fromJSON(document, { registry }).plan());
  const shapes: Record<string, StepShape> = {};
  const steps = (document as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return shapes;
  for (const step of steps as { id?: unknown; type?: unknown }[]) {
    if (typeof step?.id !== 'string' || typeof step.type !== 'string') continue;
    const type = registry.get(step.type);
    if (type !== undefined) shapes[step.id] = { outputType: type.outputType };
  }
  return shapes;
}

/**
 * The steps expected to run pushed down to DuckDB, as chains (`pushdownSegments`, what `stepwise run
 * --dry-run` marks): from the document alone, so a step may still run in JavaScript at run time.
 */
export function pushdownOf(document: unknown): string[][] {
  const steps = (document as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps) || !steps.every((step) => typeof step?.id === 'string' && typeof step.type === 'string'))
    return [];
  return pushdownSegments(steps as SegmentStep[]);
}

/** `POST /api/validate` and `POST /api/plan`: the body is the workflow document itself. */
export function documentRoutes(state: ServerState): ApiRoute[] {
  const { registry } = state.project;
  const { $schema: _drop, ...bodyJsonSchema } = workflowDocumentJsonSchema();
  return [
    route({
      method: 'POST',
      url: '/api/validate',
      tag: 'workflows',
      summary:
        'Every issue of a workflow document (code, array path, message), the inferred output of each step, and the chains of steps expected to run pushed down to DuckDB (`pushdown`).',
      body: z.unknown(),
      bodyJsonSchema,
      response: validationSchema,
      keepsDuplicateKeys: true,
      handler: async ({ body, request }) => {
        const issues = [...duplicateKeysOf(request), ...validateDocument(body, registry)];
        return {
          valid: issues.length === 0,
          issues: issues.map((issue) => issueJson(issue, state.scrub)),
          shapes: shapesOf(body, issues.length === 0, registry),
          pushdown: pushdownOf(body),
        };
      },
    }),
    route({
      method: 'POST',
      url: '/api/plan',
      tag: 'workflows',
      summary:
        "What a run of the document would do, step by step (reuse, cached or run, and why): core's RunPlan; with ?resume=<run id>, the plan of resuming that run with it; with ?reuse=latest (or a run id), the plan of a new run that takes over that run's unchanged outputs (POST /api/runs with reuse).",
      query: planQuery,
      body: z.unknown(),
      bodyJsonSchema,
      response: z.object({ workflowId: z.string(), reuse: z.boolean(), steps: z.array(z.unknown()) }).loose(),
      handler: async ({ body, query }) => {
        // an invalid document is refused with its issues (400 DOCUMENT_INVALID)
        const workflow = Workflow.fromJSON(body, { registry });
        const from = query.resume ?? (await reusedRun(state.context, workflow.id, query.reuse));
        const plan = await state.runner.plan(workflow, {
          context: state.context,
          ...(from === undefined ? {} : { from }),
        });
        return { ...plan, issues: [], shapes: stepShapes(workflow.plan()), pushdown: pushdownOf(body) };
      },
    }),
  ];
}
