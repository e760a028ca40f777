/**
 * The executor contract: every mode (batch, streaming, row_iterative) run on an executor gives the
 * same outputs, logs, progress and failure codes, whichever executor it is and wherever it runs
 * the step. Each executor's test file calls {@link describeExecutorContract}.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { FileStore } from '../context/file/file-store.js';
import { MemoryStore } from '../context/memory/memory-store.js';
import { RuntimeContext } from '../context/runtime-context.js';
import type { Store } from '../context/store.js';
import type { PlannedStep } from '../document/workflow-plan.js';
import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { StepExecutor, StepTask } from '../executors/executor.js';
import type { LogLevel } from '../logger.js';
import type { MaybePromise } from '../maybe-promise.js';
import type { StepStrategy } from '../model/document.js';
import { defaultRegistry } from '../registry/default-registry.js';
import type { StepRegistry } from '../registry/step-registry.js';
import { modeRunnerFor } from '../runner/modes/index.js';
import { type ContractOptions, codeOf, contractTests } from './contract-kit.js';
import { ContractTable, contractOwnRegistry } from './contract-steps.js';

export { CONTRACT_STEP_MODULE } from './contract-steps.js';

/** What one {@link runOn} call gives a step, and where its inputs are stored. */
export interface RunOnOptions {
  strategy?: StepStrategy;
  signal?: AbortSignal;
  params?: unknown;
  /** Named inputs beside the primary one, stored as refs too. */
  inputs?: Record<string, { value: unknown; type: string }>;
  /** Where the inputs are put (a file store lets an executor read refs where it runs); a MemoryStore by default. */
  store?: Store;
  attempt?: number;
  /** The registry the step type is in (the default one unless given). */
  registry?: StepRegistry;
}

/** What a step reported while it ran. */
export interface Reported {
  logs: { level: LogLevel; message: string; fields?: Record<string, unknown> }[];
  progress: { done: number; total?: number }[];
}

/**
 * Runs one attempt of step type `slug` over `input` the way the runner does: the inputs are put
 * into a context and passed by ref, the step's mode runner drives the executor. Answers the output
 * and what the step reported (logs and progress).
 */
export async function runOn(
  executor: StepExecutor,
  slug: string,
  input: unknown,
  options: RunOnOptions = {},
): Promise<{ output: unknown; reported: Reported }> {
  const registry = options.registry ?? defaultRegistry;
  const stepType = registry.require(slug);
  const context = new RuntimeContext<Store>({ store: options.store ?? new MemoryStore(), registry });
  const inputs: Record<string, string> = {};
  if (stepType.inputType !== undefined) inputs.input = await context.put(input, { type: stepType.inputType });
  for (const [name, given] of Object.entries(options.inputs ?? {}))
    inputs[name] = await context.put(given.value, { type: given.type });
  const step: PlannedStep = {
    index: 0,
    id: slug,
    stepType,
    config: {},
    params: options.params ?? {},
    inputs: {},
    dependsOn: [],
    strategy: options.strategy ?? {},
  };
  const reported: Reported = { logs: [], progress: [] };
  const task: StepTask = {
    runId: 'run_contract',
    stepId: slug,
    attempt: options.attempt ?? 1,
    step,
    stepType,
    params: options.params ?? {},
    inputs,
    context,
    registry,
    signal: options.signal ?? new AbortController().signal,
    report: {
      log: (level, message, fields) =>
        reported.logs.push(fields === undefined ? { level, message } : { level, message, fields }),
      progress: (done, total) => reported.progress.push(total === undefined ? { done } : { done, total }),
    },
  };
  const env = {
    executor,
    registry,
    inputType: stepType.inputType === undefined ? undefined : registry.requireDataType(stepType.inputType),
    outputType: registry.requireDataType(stepType.outputType),
  };
  return { output: await modeRunnerFor(stepType.mode)(task, env), reported };
}

/** {@link runOn}'s output alone. */
export async function outputOf(
  executor: StepExecutor,
  slug: string,
  input: unknown,
  options?: RunOnOptions,
): Promise<unknown> {
  return (await runOn(executor, slug, input, options)).output;
}

const numbers = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const WORKERS = [1, 2, 3];

/** The names of the tests an executor that shares the runner's thread cannot pass (skip them with that reason). */
export const ISOLATION_TESTS: readonly string[] = [
  'isolation: a busy loop stopped by a timeout fails with STEP_TIMEOUT, and the executor keeps working',
  'isolation: process.exit in a step fails with WORKER_EXITED, and the executor keeps working',
];

/**
 * Registers the tests every {@link StepExecutor} passes, with a fresh executor from `make` per
 * test: each mode's outputs in input order for 1 to 3 workers, params, named inputs, run and step
 * ids and attempt numbers, a columnar class-instance data type (as a DataFrame is) in every mode,
 * inputs read by ref from a file store, a step type found only in a registry its module exports,
 * logs and progress back from where the step runs, coded errors kept, cancellation, and
 * `EXECUTOR_CLOSED` after `close()`. An executor off the runner's thread passes the isolation
 * tests too ({@link ISOLATION_TESTS}: skip them, with the reason, for one that is not).
 * The executor must load the contract's step types from {@link CONTRACT_STEP_MODULE}.
 * @example describeExecutorContract('queue', () => new QueueExecutor({ stepModules: [CONTRACT_STEP_MODULE], redis }))
 */
export function describeExecutorContract(
  name: string,
  make: () => MaybePromise<StepExecutor>,
  options: ContractOptions<StepExecutor> = {},
): void {
  describe(`${name}: executor contract`, () => {
    const { test, done } = contractTests(make, { ...options, dispose: (executor) => disposeAll(executor, options) });
    const strategy = (workers: number) => ({ workers, chunkRows: 4 });

    test('batch: the function gets the whole input, and its params', async (executor) => {
      for (const workers of WORKERS) {
        expect(await outputOf(executor, 'c_sum', numbers(10), { strategy: strategy(workers) })).toBe(45);
        expect(await outputOf(executor, 'c_scale', [1, 2], { params: { factor: 10 } })).toEqual([10, 20]);
      }
    });

    test('row_iterative: maps rows in input order; an array expands, null drops; async rows; empty input', async (executor) => {
      for (const workers of WORKERS) {
        const s = { strategy: strategy(workers) };
        expect(await outputOf(executor, 'c_double', numbers(11), s)).toEqual(numbers(11).map((n) => n * 2));
        expect(await outputOf(executor, 'c_expand_drop', numbers(10), s)).toEqual([0, 0, 2, 4, 6, 6, 8]);
        expect(await outputOf(executor, 'c_async_inc', [5, 1, 3], s)).toEqual([6, 2, 4]);
        expect(await outputOf(executor, 'c_double', [], s)).toEqual([]);
      }
    });

    test('streaming: chunks in order, filters that shrink chunks, and a source step', async (executor) => {
      for (const workers of WORKERS) {
        const s = { strategy: strategy(workers) };
        expect(await outputOf(executor, 'c_stream_scale', numbers(10), s)).toEqual(numbers(10).map((n) => n * 10));
        expect(await outputOf(executor, 'c_stream_even', numbers(9), s)).toEqual([0, 2, 4, 6, 8]);
        expect(await outputOf(executor, 'c_stream_source', undefined, s)).toEqual(numbers(20));
      }
    });

    test('named inputs reach batch and row_iterative steps', async (executor) => {
      const right = { right: { value: { offset: 100 }, type: 'JSON' } };
      for (const workers of WORKERS) {
        const s = { strategy: strategy(workers), inputs: right };
        expect(await outputOf(executor, 'c_offset', [1, 2], s)).toEqual([101, 102]);
        expect(await outputOf(executor, 'c_row_offset', [1, 2, 3], s)).toEqual([101, 102, 103]);
      }
    });

    test('the step sees its run id, step id and attempt number', async (executor) => {
      expect(await outputOf(executor, 'c_who_am_i', [], { attempt: 3 })).toEqual({
        runId: 'run_contract',
        stepId: 'c_who_am_i',
        attempt: 3,
      });
    });

    test('a columnar table of class instances in every mode, as a DataFrame', async (executor) => {
      const input = new ContractTable({ a: [1, 2, 3, 4, 5], b: [10, 20, 30, 40, 50] });
      for (const workers of WORKERS) {
        const s = { strategy: strategy(workers) };
        const total = await outputOf(executor, 'c_table_total', input, s);
        expect(total).toBeInstanceOf(ContractTable);
        expect((total as ContractTable).columns.total).toEqual([11, 22, 33, 44, 55]);
        expect((await outputOf(executor, 'c_table_rows', input, s)) as ContractTable).toEqual(
          new ContractTable({ a: [2, 4, 6, 8, 10], b: [10, 20, 30, 40, 50] }),
        );
        expect(
          (await outputOf(executor, 'c_table_stream', input, { strategy: { workers, chunkRows: 2 } })) as ContractTable,
        ).toEqual(new ContractTable({ a: [2, 4], b: [20, 40] }));
      }
    });

    test('inputs in a file store are read by ref where the step runs', async (executor) => {
      const dir = mkdtempSync(join(tmpdir(), 'stepwise-executor-contract-'));
      try {
        const store = new FileStore(dir);
        const table = new ContractTable({ a: [1, 2], b: [3, 4] });
        const total = await outputOf(executor, 'c_table_total', table, { store });
        expect((total as ContractTable).columns.total).toEqual([4, 6]);
        const right = { right: { value: { offset: 1 }, type: 'JSON' } };
        expect(await outputOf(executor, 'c_offset', [1, 2], { store, inputs: right })).toEqual([2, 3]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a step type registered only in a registry its module exports', async (executor) => {
      const options = { registry: contractOwnRegistry, strategy: strategy(2) };
      expect(await outputOf(executor, 'c_custom_registry', [1, 2, 3], options)).toEqual([3, 6, 9]);
    });

    test('logs and progress come back from where the step runs, in order', async (executor) => {
      const { output, reported } = await runOn(executor, 'c_chatty', [7, 8, 9]);
      expect(output).toBe(3);
      expect(reported.logs).toEqual([
        { level: 'debug', message: 'starting' },
        { level: 'info', message: 'summing 3 numbers' },
        { level: 'warn', message: 'first is 7', fields: { first: 7 } },
      ]);
      expect(reported.progress).toEqual([
        { done: 1, total: 2 },
        { done: 2, total: 2 },
      ]);
    });

    test('a coded error keeps its code and details in every mode; a row error names its row', async (executor) => {
      for (const slug of ['c_batch_throw', 'c_row_throw', 'c_stream_throw'])
        for (const workers of WORKERS) {
          const error = await outputOf(executor, slug, numbers(6), { strategy: strategy(workers) }).catch(
            (e: unknown) => e,
          );
          const row = slug === 'c_row_throw';
          expect(error, `${slug} on ${workers}`).toMatchObject({
            code: 'ROW_REJECTED',
            message: row ? 'Row 3 (3) failed: value 3 is rejected' : 'value 3 is rejected',
            details: row ? { value: 3, row: 3, values: 3 } : { value: 3 },
          });
        }
    });

    test('a cancelled signal fails the step with its reason', async (executor) => {
      const controller = new AbortController();
      controller.abort(new StepwiseError(ErrorCode.STEP_CANCELLED, 'cancelled by the test'));
      const signal = controller.signal;
      expect(await codeOf(() => outputOf(executor, 'c_stream_scale', numbers(10), { signal }))).toBe('STEP_CANCELLED');
    });

    test('after close() a task fails with EXECUTOR_CLOSED, and close() may be called again', async (executor) => {
      expect(await outputOf(executor, 'c_sum', [1, 2])).toBe(3);
      await executor.close();
      expect(await codeOf(() => outputOf(executor, 'c_sum', [1, 2]))).toBe('EXECUTOR_CLOSED');
      await executor.close();
    });

    test(ISOLATION_TESTS[0] as string, async (executor) => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new StepwiseError(ErrorCode.STEP_TIMEOUT, 'timed out')), 300);
      try {
        const signal = controller.signal;
        expect(await codeOf(() => outputOf(executor, 'c_row_spin', numbers(6), { signal }))).toBe('STEP_TIMEOUT');
      } finally {
        clearTimeout(timer);
      }
      expect(await outputOf(executor, 'c_double', [1, 2], { strategy: strategy(2) })).toEqual([2, 4]);
    });

    test(ISOLATION_TESTS[1] as string, async (executor) => {
      expect(await codeOf(() => outputOf(executor, 'c_row_exit', numbers(6)))).toBe('WORKER_EXITED');
      expect(await outputOf(executor, 'c_double', [1, 2], { strategy: strategy(2) })).toEqual([2, 4]);
    });

    done();
  });
}

/** Closes the test's executor, then calls the caller's `dispose`. */
async function disposeAll(executor: StepExecutor, options: ContractOptions<StepExecutor>): Promise<void> {
  await executor.close();
  await options.dispose?.(executor);
}
