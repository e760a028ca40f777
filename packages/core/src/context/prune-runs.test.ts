// pruneStore against the records the runner really writes: a resumed run, and runs reusing cached outputs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../model/run.js';
import { StepRegistry } from '../registry/step-registry.js';
import { jsonStep, workflow } from '../runner/fixtures.contract.js';
import { WorkflowRunner } from '../runner/workflow-runner.js';
import { FileStore } from './file/file-store.js';
import { pruneStore } from './prune.js';
import { RuntimeContext } from './runtime-context.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-prune-runs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A context on `dir`, as a new process would open it. */
const openDir = (dir: string) => new RuntimeContext({ store: new FileStore(dir) });
/** Runs started in the same millisecond would tie on startedAt; the tests order them. */
const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 2));

function refsOf(record: RunRecord): string[] {
  const outputs = record.steps.flatMap((step) => (step.output === undefined ? [] : [step.output]));
  return [...outputs, ...Object.values(record.outputs), ...Object.values(record.inputs)];
}

/** a -> b (fails while broken) -> c, and a -> d; with a workflow input read by a. */
function flaky() {
  const registry = new StepRegistry();
  const state = { broken: false };
  const one = jsonStep(registry, 'one', (input) => (input as number[]).length);
  const fragile = jsonStep(registry, 'fragile', (n) => {
    if (state.broken) throw new Error('not yet');
    return (n as number) + 1;
  });
  const inc = jsonStep(registry, 'inc', (n) => (n as number) + 1);
  const wf = workflow(
    [
      { id: 'a', type: one, inputs: { input: { input: 'rows' } } },
      { id: 'b', type: fragile },
      { id: 'c', type: inc },
      { id: 'd', type: inc, inputs: { input: { step: 'a' } } },
    ],
    { inputs: { rows: { type: 'JSON' } } },
  );
  return { wf, state, registry };
}

describe('pruneStore on runs the runner recorded', () => {
  it('keeps every value a resumed run uses, including outputs reused from its first attempt', async () => {
    const dir = mkdtempSync(join(root, 'resume-'));
    const { wf, state, registry } = flaky();
    const first = openDir(dir);
    const runner = new WorkflowRunner();
    const older = await runner.run(wf, { context: first, inputs: { rows: first.put([1, 2], { type: 'JSON' }) } });
    expect(older.status).toBe('completed');
    await nextMillisecond();
    state.broken = true;
    const failed = await runner.run(wf, { context: first, inputs: { rows: first.put([1, 2, 3], { type: 'JSON' }) } });
    expect(failed.status).toBe('failed');
    const reusedA = failed.steps.get('a')?.output as string;

    state.broken = false;
    const second = openDir(dir);
    const resumed = await new WorkflowRunner({ registry }).resume(
      second.store.runs.load(failed.id)?.record as RunRecord,
      {
        context: second,
      },
    );
    expect(resumed.status).toBe('completed');

    const report = await pruneStore(openDir(dir).store, { keepRuns: 1 });

    expect(report).toMatchObject({ runsDeleted: 1, deletedRuns: [older.id], runsKept: 1 });
    const after = openDir(dir);
    const record = after.store.runs.load(failed.id)?.record as RunRecord;
    expect(record.steps.find((step) => step.id === 'a')?.output).toBe(reusedA);
    const kept = refsOf(record);
    expect(kept).toContain(reusedA);
    for (const ref of kept) expect(after.has(ref), ref).toBe(true);
    expect(after.get(record.steps.find((step) => step.id === 'c')?.output as string)).toBe(5);
    expect(after.refs().sort()).toEqual([...new Set(kept)].sort());
    for (const ref of refsOf(older.toJSON())) expect(after.has(ref)).toBe(false);
  });

  it('keeps the cached outputs a kept run reused from a removed run, so the cache still hits', async () => {
    const dir = mkdtempSync(join(root, 'cache-'));
    const registry = new StepRegistry();
    let calls = 0;
    const load = jsonStep(
      registry,
      'load',
      () => {
        calls += 1;
        return [1, 2, 3];
      },
      { source: true },
    );
    const wf = workflow([{ id: 'load', type: load, strategy: { cache: true } }]);
    const runner = new WorkflowRunner();
    const producer = await runner.run(wf, { context: openDir(dir) });
    await nextMillisecond();
    const reuser = await runner.run(wf, { context: openDir(dir) });
    expect(reuser.steps.get('load')).toMatchObject({ cached: true, output: producer.outputs.result });

    expect(await pruneStore(openDir(dir).store, { keepRuns: 1 })).toMatchObject({
      deletedRuns: [producer.id],
      valuesDeleted: 0,
      cacheEntriesDeleted: 0,
    });
    const again = await runner.run(wf, { context: openDir(dir) });
    expect(again.steps.get('load')?.cached).toBe(true);
    expect(calls).toBe(1);

    expect(await pruneStore(openDir(dir).store, { keepRuns: 0 })).toMatchObject({
      valuesDeleted: 1,
      cacheEntriesDeleted: 1,
    });
    const fresh = await runner.run(wf, { context: openDir(dir) });
    expect(fresh.steps.get('load')?.cached).toBeUndefined();
    expect(calls).toBe(2);
  });
});
