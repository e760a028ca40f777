import { extname } from 'node:path';
import { didYouMean, type WorkflowPlan } from '@stepwise/core';
import { assignments, UsageError } from './usage-error.js';

/** Table writers by file extension: a DataFrame output is written through one of these step types. */
export const TABLE_WRITERS: Readonly<Record<string, string>> = {
  '.csv': 'write_csv',
  '.parquet': 'write_parquet',
  '.json': 'write_json',
};

/**
 * Throws a UsageError when a value of data type `type` cannot be written to `file` (a DataFrame
 * needs a .csv, .parquet or .json file).
 */
export function checkOutputFile(file: string, type: string | undefined): void {
  if (type === 'DataFrame' && TABLE_WRITERS[extname(file).toLowerCase()] === undefined) {
    throw new UsageError(`Cannot write the DataFrame to ${file}: use a .csv, .parquet or .json file.`);
  }
}

type RawDocument = { steps?: unknown; outputs?: unknown };

/**
 * The document with an output added for each `--output <step>=file` that names a step rather than a
 * declared output, so any step's output can be written (a streaming step that is an output is not
 * fused, so its output is kept). A workflow that declared no outputs keeps its `result` (the last step).
 * @throws UsageError for a name that is neither an output nor a step
 */
export function addStepOutputs(document: unknown, given: readonly string[] | undefined): unknown {
  if (given === undefined || given.length === 0) return document;
  const raw = document as RawDocument;
  if (!Array.isArray(raw.steps)) return document;
  const ids = raw.steps.map((step) => String((step as { id?: unknown } | null)?.id));
  const declared = { ...((raw.outputs ?? {}) as Record<string, unknown>) };
  const outputs = Object.keys(declared).length > 0 || ids.length === 0 ? declared : { result: { step: ids.at(-1) } };
  for (const text of given) {
    const name = text.slice(0, Math.max(0, text.indexOf('=')));
    if (name === '' || name in outputs) continue;
    if (!ids.includes(name)) {
      const known = [...Object.keys(outputs).map((o) => `output "${o}"`), ...ids.map((id) => `step "${id}"`)];
      throw new UsageError(
        `--output ${text}: the workflow has no output or step "${name}".${didYouMean(name, [...Object.keys(outputs), ...ids])}`,
        [`It has: ${known.join(', ')}.`],
      );
    }
    outputs[name] = { step: name };
  }
  return { ...raw, outputs };
}

/**
 * The `--output name=file` pairs, checked against the plan's outputs and their data types before
 * anything runs, so a bad target costs no run.
 */
export function outputTargets(given: string[] | undefined, plan: WorkflowPlan): Record<string, string> {
  const names = [...new Set([...Object.keys(plan.outputs), ...plan.steps.map((step) => step.id)])];
  const targets = assignments('--output', given, names, 'output or step');
  for (const [name, file] of Object.entries(targets)) checkOutputFile(file, outputType(plan, name));
  return targets;
}

function outputType(plan: WorkflowPlan, name: string): string | undefined {
  const reference = plan.outputs[name];
  if (reference === undefined) return plan.byId.get(name)?.stepType.outputType;
  if ('step' in reference) return plan.byId.get(reference.step)?.stepType.outputType;
  if ('input' in reference) return plan.inputs[reference.input]?.type;
  return undefined;
}
