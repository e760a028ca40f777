/**
 * The executor contract: every mode (batch, streaming, row_iterative) run on an executor gives the
 * same outputs and the same failure codes, whichever executor it is. Each executor has a test file
 * that calls {@link describeExecutorContract} (in the spirit of hono's shared router tests).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { StepStrategy } from '../model/document.js';
import { defaultRegistry } from '../registry/default-registry.js';
import type { StepContext } from '../registry/step-type.js';
import { modeRunnerFor } from '../runner/modes/index.js';
import type { PlannedStep } from '../runner/plan.js';
import './contract-steps.contract.js';
import type { StepExecutor, StepTask } from './executor.js';

/** The step module the contract's step types live in, for executors that load modules by path. */
export const CONTRACT_STEP_MODULE = new URL('./contract-steps.contract.ts', import.meta.url).href;

/** What the suite needs of an executor under test. */
export interface ContractSubject {
  executor: StepExecutor;
  /** Thread faults (exit, out of memory, busy loop) are only survivable off the runner's thread. */
  isolated: boolean;
}

interface RunOptions {
  strategy?: StepStrategy;
  signal?: AbortSignal;
  params?: unknown;
}

/** Runs one attempt of `slug` over `input` the way the runner does: the mode runner drives the executor. */
export async function runOn(
  executor: StepExecutor,
  slug: string,
  input: unknown,
  options: RunOptions = {},
): Promise<unknown> {
  const stepType = defaultRegistry.require(slug);
  const step = {
    index: 0,
    id: slug,
    stepType,
    config: {},
    params: {},
    inputs: {},
    dependsOn: [],
    strategy: options.strategy ?? {},
  };
  const ctx: StepContext = {
    signal: options.signal ?? new AbortController().signal,
    log: { debug() {}, info() {}, warn() {}, error() {} },
    progress() {},
    inputs: { input },
    runId: 'run_contract',
    stepId: slug,
    attempt: 1,
  };
  const task: StepTask = {
    runId: 'run_contract',
    stepId: slug,
    attempt: 1,
    step: step as PlannedStep,
    stepType,
    input,
    params: options.params ?? {},
    ctx,
  };
  const env = {
    executor,
    registry: defaultRegistry,
    inputType: stepType.inputType === undefined ? undefined : defaultRegistry.requireDataType(stepType.inputType),
    outputType: defaultRegistry.requireDataType(stepType.outputType),
  };
  return await modeRunnerFor(stepType.mode)(task, env);
}

async function codeOf(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
  } catch (error) {
    return (error as { code?: string }).code ?? 'NO_CODE';
  }
  return 'NO_ERROR';
}

const numbers = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Registers the contract suite for one executor. `make` is called once; the executor is closed after. */
export function describeExecutorContract(name: string, make: () => ContractSubject): void {
  describe(`executor contract: ${name}`, () => {
    const { executor, isolated } = make();
    afterAll(() => executor.close());

    describe.each([1, 2, 3])('workers: %i', (workers) => {
      const strategy = { workers, chunkRows: 4 };
      it('batch: the function gets the whole input', async () => {
        expect(await runOn(executor, 'c_sum', numbers(10), { strategy })).toBe(45);
      });
      it('row_iterative: maps rows in input order', async () => {
        expect(await runOn(executor, 'c_double', numbers(11), { strategy })).toEqual(numbers(11).map((n) => n * 2));
      });
      it('row_iterative: an array expands, null drops', async () => {
        expect(await runOn(executor, 'c_expand_drop', numbers(10), { strategy })).toEqual([0, 0, 2, 4, 6, 6, 8]);
      });
      it('row_iterative: an async row function', async () => {
        expect(await runOn(executor, 'c_async_inc', [5, 1, 3], { strategy })).toEqual([6, 2, 4]);
      });
      it('row_iterative: empty input gives empty output', async () => {
        expect(await runOn(executor, 'c_double', [], { strategy })).toEqual([]);
      });
      it('streaming: chunks in, chunks out, concatenated in order', async () => {
        expect(await runOn(executor, 'c_stream_scale', numbers(10), { strategy })).toEqual(
          numbers(10).map((n) => n * 10),
        );
      });
      it('streaming: a filter may shrink chunks', async () => {
        expect(await runOn(executor, 'c_stream_even', numbers(9), { strategy })).toEqual([0, 2, 4, 6, 8]);
      });
      it('streaming: a source step yields chunks', async () => {
        expect(await runOn(executor, 'c_stream_source', undefined, { strategy })).toEqual(numbers(20));
      });
      it.each(['c_batch_throw', 'c_row_throw', 'c_stream_throw'])(
        '%s: a coded error keeps its code and details',
        async (slug) => {
          const error = await runOn(executor, slug, numbers(6), { strategy }).catch((e: unknown) => e);
          expect(error).toMatchObject({ code: 'ROW_REJECTED', message: 'value 3 is rejected', details: { value: 3 } });
        },
      );
    });

    it('a cancelled signal fails the step with its reason', async () => {
      const controller = new AbortController();
      controller.abort(new StepwiseError(ErrorCode.STEP_CANCELLED, 'cancelled by the test'));
      expect(await codeOf(runOn(executor, 'c_stream_scale', numbers(10), { signal: controller.signal }))).toBe(
        ErrorCode.STEP_CANCELLED,
      );
    });

    // Only an executor off the runner's thread can survive process.exit or a busy loop, so only
    // such executors are held to these cases (the inline executor shares the runner's thread).
    if (isolated)
      describe('faults off the runner thread', () => {
        it('a busy loop stopped by a timeout fails with STEP_TIMEOUT, and the executor keeps working', async () => {
          const controller = new AbortController();
          setTimeout(() => controller.abort(new StepwiseError(ErrorCode.STEP_TIMEOUT, 'timed out')), 300);
          expect(await codeOf(runOn(executor, 'c_row_spin', numbers(6), { signal: controller.signal }))).toBe(
            ErrorCode.STEP_TIMEOUT,
          );
          expect(await runOn(executor, 'c_double', [1, 2], { strategy: { workers: 2 } })).toEqual([2, 4]);
        });
        it('process.exit in a step fails with WORKER_EXITED, and the executor keeps working', async () => {
          expect(await codeOf(runOn(executor, 'c_row_exit', numbers(6)))).toBe(ErrorCode.WORKER_EXITED);
          expect(await runOn(executor, 'c_double', [1, 2], { strategy: { workers: 2 } })).toEqual([2, 4]);
        });
      });
  });
}
