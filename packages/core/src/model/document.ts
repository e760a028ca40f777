import type { JsonObject, JsonValue } from './json.js';

/** Where a step input comes from: another step's output, a workflow input, or a ref in the context. */
export type InputReference = { step: string } | { input: string } | { ref: string };

/** Where a step runs its work. */
export type ExecutorKind = 'inline' | 'threads' | 'queue';

/** How a step is executed. Every field is optional. */
export interface StepStrategy {
  /** Parallel partitions of a row_iterative or streaming step. */
  workers?: number;
  /** `threads` is the default whenever `workers > 1`. */
  executor?: ExecutorKind;
  /** Extra attempts after a failure (0 by default). */
  retries?: number;
  /** Delay before the first retry; doubles on each further retry (default 100). */
  retryDelayMs?: number;
  /** The step is failed with `STEP_TIMEOUT` after this long. */
  timeoutMs?: number;
  /** Reuse an earlier output for the same type, config and inputs. */
  cache?: boolean;
  /** Rows per chunk for streaming steps. */
  chunkRows?: number;
}

/** One step of a workflow document. */
export interface StepDocument {
  id: string;
  type: string;
  config: JsonObject;
  /** Named inputs; when absent the primary input is the previous step's output. */
  inputs?: Record<string, InputReference>;
  strategy?: StepStrategy;
  /** Free JSON for tools (labels, notes); survives round trips. */
  metadata?: JsonObject;
}

/** A declared workflow input. */
export interface WorkflowInputDocument {
  type: string;
  description?: string;
}

/** The workflow document, format 1 (DESIGN.md section 3). */
export interface WorkflowDocument {
  format: 'stepwise.workflow';
  version: 1;
  id: string;
  name: string;
  description: string;
  inputs: Record<string, WorkflowInputDocument>;
  steps: StepDocument[];
  outputs: Record<string, InputReference>;
  /** Editor state (positions, viewport, ...); anything goes. */
  ui?: JsonObject;
  /** Anything goes. */
  metadata?: JsonObject;
}

/** The document's `format` value. */
export const DOCUMENT_FORMAT = 'stepwise.workflow';
/** The document version this release reads and writes. */
export const DOCUMENT_VERSION = 1;

/** Documented limits of a document; larger ones are rejected with `DOCUMENT_TOO_LARGE` or `NESTING_TOO_DEEP`. */
export const DocumentLimits = {
  /** Steps in one workflow. */
  maxSteps: 50_000,
  /** Nesting of any JSON value inside the document (config, ui, metadata), counted from the root. */
  maxDepth: 64,
  /** Length of a step id or workflow id. */
  maxIdLength: 128,
} as const;

/** Step and input ids: letters, digits, `_` and `-`, starting with a letter or `_`. */
export const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Refs: `ref_` then 8 to 64 URL-safe characters (letters, digits, `_`, `-`); never a path. */
export const REF_PATTERN = /^ref_[A-Za-z0-9_-]{8,64}$/;

/** The name of a step's primary input. */
export const PRIMARY_INPUT = 'input';

/**
 * A step's inputs with the sequential default applied: a step without `inputs` whose type takes a
 * primary input reads the previous step's output.
 */
export function effectiveInputs(
  steps: readonly Pick<StepDocument, 'id' | 'inputs'>[],
  index: number,
  takesInput: boolean,
): Record<string, InputReference> {
  const step = steps[index];
  if (step?.inputs) return step.inputs;
  const previous = steps[index - 1];
  return takesInput && previous ? { [PRIMARY_INPUT]: { step: previous.id } } : {};
}

/** Keys that never enter a parsed document (prototype pollution). */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type { JsonObject, JsonValue };
