import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RuntimeContext } from '../../context/runtime-context.js';
import { Workflow } from '../../document/workflow.js';
import type { StepStrategy } from '../../model/document.js';
import { createStepType } from '../../registry/define-step-type.js';
import { StepRegistry } from '../../registry/step-registry.js';
import { WorkflowRunner } from '../../runner/workflow-runner.js';
import { CONTRACT_STEP_MODULE, contractOwnRegistry } from '../../testing/index.js';
import { threadsExecutor } from '../built-in.js';

const runner = new WorkflowRunner({
  stepModules: [CONTRACT_STEP_MODULE],
  concurrency: 2,
  executors: { threads: threadsExecutor({ maxThreads: 2 }) },
});
afterAll(() => runner.close());

async function runSteps(steps: { id: string; type: string; strategy: StepStrategy }[]) {
  const wf = new Workflow({ id: 'faults', name: 'Faults', inputs: { numbers: { type: 'JSON' } } });
  for (const step of steps)
    wf.add(step.type, {}, { id: step.id, inputs: { input: { input: 'numbers' } }, strategy: step.strategy });
  const context = new RuntimeContext();
  const numbers = context.put([1, 2, 3, 4], { type: 'JSON' });
  return { run: await runner.run(wf, { context, inputs: { numbers } }), context };
}

describe('worker-thread faults in a run', () => {
  it('a thread that exits is retried per strategy, then fails with WORKER_EXITED; the step beside it completes', async () => {
    const { run, context } = await runSteps([
      { id: 'exits', type: 'c_row_exit', strategy: { workers: 2, retries: 1, retryDelayMs: 1 } },
      { id: 'fine', type: 'c_double', strategy: { workers: 2 } },
    ]);
    expect(run.steps.get('exits')).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'WORKER_EXITED' } });
    expect(run.steps.get('fine')?.status).toBe('completed');
    expect(context.get(run.steps.get('fine')?.output as string)).toEqual([2, 4, 6, 8]);
  });

  it('a busy loop past timeoutMs fails with STEP_TIMEOUT, and the next run gets a fresh thread', async () => {
    const { run } = await runSteps([{ id: 'spins', type: 'c_row_spin', strategy: { workers: 2, timeoutMs: 300 } }]);
    expect(run.steps.get('spins')).toMatchObject({ status: 'failed', error: { code: 'STEP_TIMEOUT' } });
    const again = await runSteps([{ id: 'fine', type: 'c_double', strategy: { workers: 2 } }]);
    expect(again.run.status).toBe('completed');
  });

  it('a coded error thrown in a worker keeps its code in the run, and names the row of the whole input', async () => {
    const { run } = await runSteps([{ id: 'throws', type: 'c_row_throw', strategy: { workers: 2 } }]);
    // [1, 2, 3, 4] on two workers: 3 is the first row of the second partition, row 2 of the input
    expect(run.steps.get('throws')?.error).toMatchObject({
      name: 'RowError',
      code: 'ROW_REJECTED',
      message: 'Row 2 (3) failed: value 3 is rejected',
      details: { value: 3, row: 2, values: 3 },
      cause: { message: 'value 3 is rejected' },
    });
  });

  it('a step type the workers cannot find, or a step module that does not load, fails at once: no retry', async () => {
    const registry = new StepRegistry();
    registry.register(
      createStepType({ slug: 'local_only', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative' }, (n) => n),
    );
    const wf = new Workflow({ id: 'lost', name: 'Lost', registry, inputs: { numbers: { type: 'JSON' } } });
    const strategy = { workers: 2, retries: 3, retryDelayMs: 1 };
    wf.add('local_only', {}, { id: 'lost', inputs: { input: { input: 'numbers' } }, strategy });
    const dir = mkdtempSync(join(tmpdir(), 'stepwise-threads-broken-'));
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, 'export const x = ;\n');
    for (const [stepModules, code] of [
      [[CONTRACT_STEP_MODULE], 'STEP_TYPE_UNKNOWN'],
      [[broken], 'CONFIG_LOAD_FAILED'],
    ] as const) {
      const own = new WorkflowRunner({
        registry,
        stepModules,
        executors: { threads: threadsExecutor({ maxThreads: 2 }) },
      });
      try {
        const context = new RuntimeContext({ registry });
        const run = await own.run(wf, { context, inputs: { numbers: context.put([1, 2, 3], { type: 'JSON' }) } });
        expect(run.steps.get('lost')).toMatchObject({ status: 'failed', attempts: 1, error: { code } });
      } finally {
        await own.close();
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds a step type through the runner's registry when its step module exports that registry", async () => {
    const wf = new Workflow({
      id: 'own',
      name: 'Own',
      registry: contractOwnRegistry,
      inputs: { numbers: { type: 'JSON' } },
    });
    wf.add(
      'c_custom_registry',
      {},
      { id: 'triple', inputs: { input: { input: 'numbers' } }, strategy: { workers: 2 } },
    );
    const context = new RuntimeContext({ registry: contractOwnRegistry });
    const run = await runner.run(wf, { context, inputs: { numbers: context.put([1, 2, 3], { type: 'JSON' }) } });
    expect(run.status).toBe('completed');
    expect(context.get(run.outputs.result as string)).toEqual([3, 6, 9]);
  });
});
