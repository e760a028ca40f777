import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../context/file/file-store.js';
import { MemoryStore } from '../context/memory/memory-store.js';
import { RuntimeContext } from '../context/runtime-context.js';
import type { RunRecord } from '../model/run.js';
import { StepRegistry } from '../registry/step-registry.js';
import { loadRun } from '../runs/read-runs.js';
import { deferred, jsonStep, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-checkpoint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** a -> b (waits until `gate` resolves, or the run is stopped) -> c */
function gatedWorkflow() {
  const registry = new StepRegistry();
  const gate = deferred<void>();
  const one = jsonStep(registry, 'one', () => 1, { source: true });
  const held = jsonStep(registry, 'held', (n, _p, ctx) => {
    return new Promise((resolve, reject) => {
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
      gate.promise.then(() => resolve((n as number) + 1));
    });
  });
  const inc = jsonStep(registry, 'inc', (n) => (n as number) + 1);
  const wf = workflow([
    { id: 'a', type: one },
    { id: 'b', type: held },
    { id: 'c', type: inc },
  ]);
  return { wf, gate };
}

/** Polls `read` until `done` holds of its answer (the checkpoint timer writes within its interval). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const statuses = (record: RunRecord | undefined) => record?.steps.map((step) => `${step.id}:${step.status}`);

describe('a run checkpointed as it goes', () => {
  it('is in the store from its start, owned by this process, with each step transition in its journal', async () => {
    const store = new FileStore(mkdtempSync(join(root, 'fs-')));
    const context = new RuntimeContext({ store });
    const { wf, gate } = gatedWorkflow();
    const runner = new WorkflowRunner({ heartbeatMs: 20 });
    const done = runner.run(wf, { context, runId: 'run_checkpointed' });
    const seen = await until(
      () => loadRun(store.runs, 'run_checkpointed'),
      (record) => statuses(record)?.join() === 'a:completed,b:running,c:pending',
      'a completed and b running in the store',
    );
    expect(seen?.status).toBe('running');
    expect(seen?.owner).toMatchObject({ pid: process.pid });
    const first = seen?.owner?.heartbeatAt ?? 0;
    await until(
      () => loadRun(store.runs, 'run_checkpointed'),
      (record) => (record?.owner?.heartbeatAt ?? 0) > first,
      'a later heartbeat',
    );
    gate.resolve();
    const run = await done;
    expect(run.status).toBe('completed');
    const stored = store.runs.load('run_checkpointed');
    expect(stored?.journal).toEqual([]);
    expect(stored?.record).not.toHaveProperty('owner');
    expect(statuses(stored?.record)).toEqual(['a:completed', 'b:completed', 'c:completed']);
  });

  it('whose record cannot be saved at its start is refused with RUN_RECORD_SAVE_FAILED, and runs nothing', async () => {
    const store = new MemoryStore();
    store.runs.save = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    const calls: string[] = [];
    const registry = new StepRegistry();
    const one = jsonStep(registry, 'one', () => calls.push('one'), { source: true });
    const error = await new WorkflowRunner()
      .run(workflow([{ id: 'a', type: one }]), { context: new RuntimeContext({ store }) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RUN_RECORD_SAVE_FAILED', message: expect.stringContaining('ENOSPC') });
    expect(calls).toEqual([]);
  });

  it('fails when a checkpoint cannot be written: the running step stops, the error is the store error', async () => {
    const store = new MemoryStore();
    store.runs.append = () => {
      throw new Error('ENOSPC: no space left on device');
    };
    const { wf } = gatedWorkflow();
    const run = await new WorkflowRunner().run(wf, { context: new RuntimeContext({ store }) });
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ code: 'RUN_RECORD_SAVE_FAILED', message: expect.stringContaining('ENOSPC') });
    expect(run.steps.get('a')?.status).toBe('completed');
    expect(run.steps.get('b')?.status).toBe('cancelled');
    expect(run.steps.get('c')?.status).toBe('cancelled');
  });

  it('fails when its final record cannot be saved, though every step completed', async () => {
    const store = new MemoryStore();
    const save = store.runs.save.bind(store.runs);
    let saves = 0;
    store.runs.save = (record) => {
      saves += 1;
      if (saves > 1) throw new Error('ENOSPC: no space left on device');
      save(record);
    };
    const registry = new StepRegistry();
    const one = jsonStep(registry, 'one', () => 1, { source: true });
    const events: string[] = [];
    const run = await new WorkflowRunner().run(workflow([{ id: 'a', type: one }]), {
      context: new RuntimeContext({ store }),
      onEvent: (event) => events.push(event.type),
    });
    expect(run.steps.get('a')?.status).toBe('completed');
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('RUN_RECORD_SAVE_FAILED');
    expect(events.at(-1)).toBe('run.failed');
  });
});
