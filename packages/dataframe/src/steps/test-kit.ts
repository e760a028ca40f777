import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepContext, StepType } from '@stepwise/core';
import { type ColumnTable, table } from 'arquero';
import { configureFiles } from '../files/data-root.js';

/** A StepContext for calling step functions directly in tests. */
export function fakeContext(inputs: Record<string, unknown> = {}): StepContext {
  const noop = () => {};
  return {
    signal: new AbortController().signal,
    log: { debug: noop, info: noop, warn: noop, error: noop },
    progress: noop,
    inputs,
    runId: 'run_test',
    stepId: 'step_test',
    attempt: 1,
  };
}

/** Runs a batch step's function with its params parsed (defaults applied) as the runner would. */
export async function runStep(
  type: StepType,
  input: unknown,
  config: Record<string, unknown>,
  inputs: Record<string, unknown> = {},
): Promise<ColumnTable> {
  const params = type.params.parse(config);
  const fn = type.fn as (i: unknown, p: unknown, c: StepContext) => unknown;
  return (await fn(input, params, fakeContext({ ...inputs, input }))) as ColumnTable;
}

/** A fresh temp folder configured as the data root. */
export function tempDataRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'sw-df-'));
  configureFiles({ dataRoot: root, allowOutside: false });
  return root;
}

/** The four tables every step is tried on: empty, an all-null column, unicode, and text to coerce. */
export const fixtures = {
  empty: () => table({ id: [] as number[], name: [] as string[], value: [] as number[] }),
  allNull: () => table({ id: [1, 2, 3], name: ['a', 'b', 'c'], value: [null, null, null] }),
  unicode: () => table({ id: [1, 2, 3], name: ['Zürich', '東京', 'São Paulo 🌎'], value: [0.5, -1, 2] }),
  coercion: () => table({ id: ['1', '2', '3'], name: ['x', 'y', 'z'], value: ['0.5', 'N/A', '3'] }),
};
