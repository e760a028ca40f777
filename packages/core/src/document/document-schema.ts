import { z } from 'zod';
import { DOCUMENT_FORMAT, DOCUMENT_VERSION, DocumentLimits, ID_PATTERN, REF_PATTERN } from '../model/document.js';

// The one description of the document's shape: used for the structural checks of every document
// and turned into the exported JSON Schema. Content rules (step types, configs, references) live in
// check-content.ts because they need a registry.

const idSchema = z
  .string()
  .regex(ID_PATTERN, 'Invalid id: use letters, digits, "_" and "-", starting with a letter or "_"')
  .max(DocumentLimits.maxIdLength);

const freeJsonSchema = z.record(z.string(), z.unknown());

/** `{ "step": id }`, `{ "input": name }` or `{ "ref": "ref_…" }`: exactly one of the three. */
export const referenceSchema = z
  .strictObject({
    step: z.string().min(1).optional().meta({ description: 'The id of an earlier step whose output is read.' }),
    input: z.string().min(1).optional().meta({ description: 'The name of a workflow input.' }),
    ref: z
      .string()
      .regex(
        REF_PATTERN,
        'Invalid ref: expected "ref_" then 8 to 64 letters, digits, "_" or "-" (a ref from ctx.put())',
      )
      .optional()
      .meta({ description: 'A ref already in the runtime context (`ref_` then 8 to 64 letters, digits, `_`, `-`).' }),
  })
  .refine((reference) => Object.keys(reference).length === 1, {
    message: 'A reference has exactly one of "step", "input" or "ref"',
  })
  .meta({ description: 'Where an input comes from.', minProperties: 1, maxProperties: 1 });

/** How a step is executed. */
export const strategySchema = z
  .strictObject({
    workers: z
      .int()
      .min(1)
      .optional()
      .meta({ description: 'Parallel partitions of a row_iterative or streaming step.' }),
    executor: z.enum(['inline', 'threads', 'queue']).optional(),
    retries: z.int().min(0).optional().meta({ description: 'Extra attempts after a failure.' }),
    retryDelayMs: z.number().min(0).optional(),
    timeoutMs: z.number().positive().optional(),
    cache: z.boolean().optional(),
    chunkRows: z.int().min(1).optional().meta({ description: 'Rows per chunk for streaming steps.' }),
  })
  .meta({ description: 'How the step is executed; every field is optional.' });

/** One step of the document. */
export const stepSchema = z.strictObject({
  id: idSchema.meta({ description: 'Unique within the workflow.' }),
  type: z.string().meta({ description: 'The slug of a registered step type.' }),
  config: freeJsonSchema.optional().meta({ description: "The step type's parameters (see the catalog)." }),
  inputs: z
    .record(z.string(), referenceSchema)
    .optional()
    .meta({ description: "Named inputs; when absent the primary input `input` is the previous step's output." }),
  strategy: strategySchema.optional(),
  metadata: freeJsonSchema.optional().meta({ description: 'Free JSON for tools; survives round trips.' }),
});

/** A declared workflow input. */
export const workflowInputSchema = z.strictObject({
  type: z.string().min(1).meta({ description: 'The name of a data type, e.g. "DataFrame".' }),
  description: z.string().optional(),
});

/** The workflow document, format 1. */
export const documentSchema = z
  .strictObject({
    format: z.literal(DOCUMENT_FORMAT),
    version: z.literal(DOCUMENT_VERSION),
    id: idSchema,
    name: z.string().optional(),
    description: z.string().optional(),
    inputs: z.record(idSchema, workflowInputSchema).optional(),
    steps: z.array(stepSchema).max(DocumentLimits.maxSteps),
    outputs: z
      .record(idSchema, referenceSchema)
      .optional()
      .meta({ description: 'Named outputs; when empty, the last step\'s output is the output "result".' }),
    ui: freeJsonSchema.optional().meta({ description: 'Editor state (positions, viewport, ...); anything goes.' }),
    metadata: freeJsonSchema.optional().meta({ description: 'Anything goes.' }),
  })
  .meta({
    title: 'Stepwise workflow document',
    description: 'A Stepwise workflow, format 1: configured steps, their inputs, and the workflow outputs.',
  });

/** The fields each kind of object accepts, for messages about unknown fields. */
export const knownFields = {
  document: Object.keys(documentSchema.shape),
  step: Object.keys(stepSchema.shape),
  strategy: Object.keys(strategySchema.shape),
  input: Object.keys(workflowInputSchema.shape),
  reference: ['step', 'input', 'ref'],
} as const;

let jsonSchema: Record<string, unknown> | undefined;

/**
 * The JSON Schema (draft 2020-12) of the workflow document, format 1, for editors and other tools.
 * It describes the shape only; whether step types exist and configs fit them needs a registry
 * (`validateDocument`). Built on the first call (zod's conversion costs milliseconds that a process
 * which never asks for it, such as `stepwise run` or a worker thread, should not pay), then the same
 * object every time: do not change it.
 * @example
 * writeFileSync('workflow.schema.json', JSON.stringify(workflowDocumentJsonSchema(), null, 2));
 */
export function workflowDocumentJsonSchema(): Record<string, unknown> {
  jsonSchema ??= z.toJSONSchema(documentSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return jsonSchema;
}
