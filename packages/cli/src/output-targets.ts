import { extname } from 'node:path';
import type { WorkflowPlan } from '@stepwise/core';
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

/**
 * The `--output name=file` pairs, checked against the plan's outputs and their data types before
 * anything runs, so a bad target costs no run.
 */
export function outputTargets(given: string[] | undefined, plan: WorkflowPlan): Record<string, string> {
  const targets = assignments('--output', given, Object.keys(plan.outputs), 'output');
  for (const [name, file] of Object.entries(targets)) checkOutputFile(file, outputType(plan, name));
  return targets;
}

function outputType(plan: WorkflowPlan, name: string): string | undefined {
  const reference = plan.outputs[name];
  if (reference === undefined) return undefined;
  if ('step' in reference) return plan.byId.get(reference.step)?.stepType.outputType;
  if ('input' in reference) return plan.inputs[reference.input]?.type;
  return undefined;
}
