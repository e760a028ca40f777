import { isRef, isRunId, type RunStatus } from '@stepwise/core';
import { z } from 'zod';
import { isWorkflowId } from './workflow-files.js';

/** `{ code, message }`: every error body. */
export const errorSchema = z.object({ code: z.string(), message: z.string() }).loose();

export const workflowIdParams = z.strictObject({
  id: z.string().refine(isWorkflowId, 'expected a workflow id (letters, digits, "_" and "-")'),
});

export const runIdParams = z.strictObject({
  id: z.string().refine(isRunId, 'expected a run id (run_ then letters, digits, "_" or "-")'),
});

export const refParams = z.strictObject({
  ref: z.string().refine(isRef, 'expected a ref (ref_ then letters, digits, "_" or "-")'),
});

const RUN_STATUSES = ['pending', 'running', 'completed', 'failed', 'skipped', 'cancelled', 'interrupted'] as const;
const runStatus = z.enum(RUN_STATUSES);

/** Epoch milliseconds, or an ISO date. */
const time = z
  .string()
  .transform((text, context) => {
    const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
    if (Number.isFinite(value)) return value;
    context.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO date' });
    return z.NEVER;
  })
  .optional();

export const runsQuery = z.strictObject({
  workflowId: z.string().max(200).optional(),
  /** Comma-separated statuses. */
  status: z
    .string()
    .transform((text) => text.split(','))
    .pipe(z.array(runStatus))
    .optional()
    .meta({ description: `Comma-separated: ${RUN_STATUSES.join(', ')}` }),
  startedFrom: time,
  startedBefore: time,
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(500).optional(),
});

/** `reuse`: the run whose completed outputs a new run takes over by step key: `latest` (the workflow's newest run) or a run id. */
const reuseField = z
  .union([z.literal('latest'), z.string().refine(isRunId, 'expected "latest" or a run id')])
  .optional()
  .meta({
    description:
      "Take over, by step key, the completed outputs of an earlier run: 'latest' (this workflow's newest run, if any) or a run id.",
  });

export const runRequest = z
  .strictObject({
    workflowId: z.string().refine(isWorkflowId, 'expected a saved workflow id').optional(),
    document: z.unknown().optional().meta({ description: 'A workflow document (format 1).' }),
    inputs: z
      .record(z.string().max(200), z.string().refine(isRef, 'expected a ref (ref_…) in the store'))
      .optional()
      .meta({ description: 'Refs of the workflow inputs, by name.' }),
    concurrency: z.number().int().min(1).max(64).optional(),
    reuse: reuseField,
  })
  .refine((body) => (body.workflowId === undefined) !== (body.document === undefined), {
    message: 'give exactly one of workflowId and document',
  });

export const resumeRequest = z
  .strictObject({
    document: z.unknown().optional().meta({ description: 'The workflow as it is now; default: the one the run ran.' }),
  })
  .optional();

export const renameRequest = z.strictObject({
  id: z.string().refine(isWorkflowId, 'expected a workflow id (letters, digits, "_" and "-")'),
});

export const planQuery = z.strictObject({
  resume: z.string().refine(isRunId, 'expected a run id').optional(),
  reuse: reuseField,
});

export const eventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).optional(),
});

export const rowsQuery = z.strictObject({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const downloadQuery = z.strictObject({
  format: z.enum(['csv', 'json', 'parquet', 'arrow']).default('json'),
});

export const runIdBody = z.object({ runId: z.string() });

export const issueSchema = z.object({
  code: z.string(),
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
});

export const savedWorkflowSchema = z.object({
  document: z.record(z.string(), z.unknown()),
  etag: z.string(),
  issues: z.array(issueSchema),
});

export const validationSchema = z.object({
  valid: z.boolean(),
  issues: z.array(issueSchema),
  shapes: z.record(z.string(), z.object({ outputType: z.string(), columns: z.array(z.string()).optional() })),
  /** The chains of steps expected to run pushed down to DuckDB, each in order (a reader first). */
  pushdown: z.array(z.array(z.string())),
});

export type RunStatusList = RunStatus[];
