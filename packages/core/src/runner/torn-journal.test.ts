// A process killed in the middle of appending to its run's journal leaves the journal cut at some
// byte. At cuts all along a real run's journal (each line end, and a byte either side), the record
// reads back; and, at 50 cuts picked by a
// property test, the run resumes to completion. Deterministic, and cheaper than killing processes
// (kill-during-checkpoint.test.ts does that). The resumes run in the process that owned the run, as
// a process does that has the pid of the dead owner (a container restarted): it must take the run over.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../context/file/file-store.js';
import { RuntimeContext } from '../context/runtime-context.js';
import { StepRegistry } from '../registry/step-registry.js';
import { loadRun } from '../runs/read-runs.js';
import { deferred, jsonStep, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-torn-journal-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * start -> t1 -> t2 -> t3 -> held (waits for `gate` while `hold.on`) -> t5: the result is 5. While
 * `hold.on`, each tick takes 40 ms, and with a heartbeat every 30 ms the journal grows line by line.
 */
function sixSteps() {
  const registry = new StepRegistry();
  const gate = deferred<void>();
  const hold = { on: true };
  const start = jsonStep(registry, 'start', () => 0, { source: true });
  const tick = jsonStep(registry, 'tick', async (n) => {
    if (hold.on) await new Promise((resolve) => setTimeout(resolve, 40));
    return (n as number) + 1;
  });
  const held = jsonStep(registry, 'held', async (n) => {
    if (hold.on) await gate.promise;
    return (n as number) + 1;
  });
  const wf = workflow([
    { id: 'start', type: start },
    ...['t1', 't2', 't3'].map((id) => ({ id, type: tick })),
    { id: 'held', type: held },
    { id: 't5', type: tick },
  ]);
  return { wf, registry, gate, hold };
}

describe("a run's journal cut at any byte", () => {
  it('always reads back, interrupted; and the run resumes to completion from 50 cuts', async () => {
    const dir = join(root, 'store');
    const { wf, registry, gate, hold } = sixSteps();
    const runner = new WorkflowRunner({ registry });
    const first = new WorkflowRunner({ registry, heartbeatMs: 30 });
    const context = () => new RuntimeContext({ store: new FileStore(dir), registry });
    const runId = 'run_torn';
    const running = first.run(wf, { context: context(), runId });
    // wait until the journal holds t1-t3 completed and held running (the checkpoint timer writes it)
    const deadline = Date.now() + 10_000;
    for (;;) {
      const record = await loadRun(context().store.runs, runId);
      if (record?.steps.map((step) => step.status).join() === 'completed,completed,completed,completed,running,pending')
        break;
      if (Date.now() > deadline) throw new Error(`held never showed running: ${JSON.stringify(record?.steps)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const recordPath = join(dir, 'runs', `${runId}.json`);
    const journalPath = join(dir, 'runs', `${runId}.journal`);
    const record = readFileSync(recordPath);
    const journal = readFileSync(journalPath);
    const lines = journal.toString('utf8').trim().split('\n').length;
    expect(lines).toBeGreaterThanOrEqual(3);
    hold.on = false;
    gate.resolve();
    expect((await running).status).toBe('completed');
    await first.close();

    /** The store as the killed process would have left it, the journal cut after `bytes`. */
    const cutAt = (bytes: number) => {
      writeFileSync(recordPath, record);
      writeFileSync(journalPath, journal.subarray(0, bytes));
    };
    // every line end, a byte either side of it, and every 5th byte in between
    const ends = [...journal.entries()].filter(([, byte]) => byte === 0x0a).map(([at]) => at + 1);
    const cuts = [...new Set([0, journal.length, ...ends.flatMap((end) => [end - 1, end, end + 1])])]
      .concat(Array.from({ length: Math.ceil(journal.length / 5) }, (_, i) => i * 5))
      .filter((at) => at >= 0 && at <= journal.length)
      .sort((x, y) => x - y);
    const runs = context().store.runs;
    let completedBefore = 0;
    for (const bytes of cuts) {
      cutAt(bytes);
      const read = await loadRun(runs, runId);
      expect(read?.status, `cut at ${bytes}`).toBe('interrupted');
      const completed = read?.steps.filter((step) => step.status === 'completed').length ?? 0;
      // a longer journal never knows less
      expect(completed, `cut at ${bytes}`).toBeGreaterThanOrEqual(completedBefore);
      completedBefore = completed;
    }
    expect(completedBefore).toBe(4);

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: journal.length }), async (bytes) => {
        cutAt(bytes);
        const ctx = context();
        const resumed = await runner.resume(runId, { context: ctx });
        expect(resumed.status, `cut at ${bytes}`).toBe('completed');
        expect(ctx.get(resumed.outputs.result as string)).toBe(5);
      }),
      { numRuns: 50, seed: 9 },
    );
    await runner.close();
  });
});
