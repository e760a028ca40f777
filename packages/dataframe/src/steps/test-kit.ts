import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StepContext, StepType } from '@stepwise/core';
import { type ColumnTable, table } from 'arquero';
import { afterAll } from 'vitest';
import { DataFrameType } from '../data-type/dataframe-type.js';
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
  const output = await fn(input, params, fakeContext({ ...inputs, input }));
  // a pushed-down reader answers a lazy table: materialized, as the runner hands it on
  return (await DataFrameType.materialize?.(output as ColumnTable)) ?? (output as ColumnTable);
}

/** Temp folders made by this test file, removed when it ends. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder configured as the data root (removed when the test file ends). */
export function tempDataRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'sw-df-'));
  made.push(root);
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
