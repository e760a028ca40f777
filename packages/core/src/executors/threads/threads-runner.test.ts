import { afterAll, describe, expect, it } from 'vitest';
import { RuntimeContext } from '../../context/runtime-context.js';
import { Workflow } from '../../document/workflow.js';
import type { StepStrategy } from '../../model/document.js';
import { WorkflowRunner } from '../../runner/workflow-runner.js';
import { CONTRACT_STEP_MODULE } from '../executor.contract.js';

const runner = new WorkflowRunner({ stepModules: [CONTRACT_STEP_MODULE], concurrency: 2, threads: { maxThreads: 2 } });
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

  it('a coded error thrown in a worker keeps its code in the run', async () => {
    const { run } = await runSteps([{ id: 'throws', type: 'c_row_throw', strategy: { workers: 2 } }]);
    expect(run.steps.get('throws')?.error).toMatchObject({ code: 'ROW_REJECTED', message: 'value 3 is rejected' });
  });
});
