import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import type { RunRecord } from '../model/run.js';
import { claimLocalRun, currentOwner, releaseLocalRun } from '../runs/owner.js';
import { contractRegistry, sampleRunRecord } from '../testing/index.js';
import { FileStore } from './file/file-store.js';
import { MemoryStore } from './memory/memory-store.js';
import { DEFAULT_RETENTION, pruneStore, retentionLimits } from './prune.js';
import { RuntimeContext } from './runtime-context.js';
import type { SyncStore } from './store.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-prune-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const stores: [string, () => SyncStore][] = [
  ['MemoryStore', () => new MemoryStore()],
  ['FileStore', () => new FileStore(mkdtempSync(join(root, 's-')))],
];

/** A process id that no process has (the highest pid Linux allows is 2^22). */
const deadPid = () => 2 ** 22 + 1;

/** Everything the store holds, to compare before and after. */
function contents(store: SyncStore) {
  return { runs: runIds(store), refs: store.values.list().sort(), cache: store.cache.keys() };
}

function runIds(store: SyncStore): string[] {
  return store.runs
    .list()
    .runs.map((run) => run.id)
    .sort();
}

describe.each(stores)('pruneStore on a %s', (_name, makeStore) => {
  const open = () => new RuntimeContext({ store: makeStore(), registry: contractRegistry() });

  /** A run record whose input, step output and workflow output are new values. */
  function addRun(ctx: RuntimeContext, runId: string, startedAt: number) {
    const input = ctx.put([1, 2], { type: 'JSON' });
    const output = ctx.put([3], { type: 'JSON', producer: { runId, stepId: 'load' } });
    ctx.store.runs.save(
      sampleRunRecord(runId, {
        startedAt,
        inputs: { sales: input },
        outputs: { result: output },
        steps: [{ id: 'load', status: 'completed', attempts: 1, output }],
      }),
    );
    return { input, output };
  }

  it('keeps the newest runs by startedAt with their values, and removes the older runs and the values only they used', async () => {
    const ctx = open();
    const old = addRun(ctx, 'run_c', 1000);
    const newest = addRun(ctx, 'run_a', 3000);
    const middle = addRun(ctx, 'run_b', 2000);
    const expectedBytes = [old.input, old.output].reduce(
      (sum, ref) => sum + (ctx.store.values.meta(ref)?.bytes ?? 0),
      0,
    );

    const report = await pruneStore(ctx.store, { keepRuns: 2 });

    expect(report).toEqual({
      runsDeleted: 1,
      valuesDeleted: 2,
      cacheEntriesDeleted: 0,
      tempFilesDeleted: 0,
      bytesFreed: expectedBytes,
      deletedRuns: ['run_c'],
      runsKept: 2,
    });
    expect(runIds(ctx.store)).toEqual(['run_a', 'run_b']);
    expect(ctx.has(old.input) || ctx.has(old.output)).toBe(false);
    for (const ref of [newest.input, newest.output, middle.input, middle.output]) expect(ctx.has(ref)).toBe(true);
  });

  it('never removes a value a kept run references, even one a removed run produced', async () => {
    const ctx = open();
    const old = addRun(ctx, 'run_old', 1000);
    const reused = ctx.put(7, { type: 'JSON', producer: { runId: 'run_old', stepId: 'total' } });
    const fixed = ctx.put('fixed', { type: 'Text', producer: { runId: 'run_old', stepId: 'note' } });
    const record = sampleRunRecord('run_new', {
      startedAt: 2000,
      inputs: { sales: old.input },
      outputs: { result: reused },
      steps: [{ id: 'load', status: 'completed', attempts: 1, output: old.output, cached: true }],
    });
    record.workflow.steps = [{ id: 'note', type: 'note', config: {}, inputs: { text: { ref: fixed } } }];
    ctx.store.runs.save(record);

    const report = await pruneStore(ctx.store, { keepRuns: 1 });

    expect(report).toMatchObject({ runsDeleted: 1, valuesDeleted: 0, deletedRuns: ['run_old'] });
    expect(ctx.store.runs.load('run_old')).toBeUndefined();
    for (const ref of [old.input, old.output, reused, fixed]) expect(ctx.has(ref)).toBe(true);
  });

  it('keeps the refs a kept run names only in its journal', async () => {
    const ctx = open();
    addRun(ctx, 'run_old', 1000);
    addRun(ctx, 'run_new', 2000);
    const journalled = ctx.put(5, { type: 'JSON', producer: { runId: 'run_old', stepId: 'late' } });
    ctx.store.runs.append('run_new', [{ type: 'step', stepId: 'late', output: journalled }]);
    await pruneStore(ctx.store, { keepRuns: 1 });
    expect(ctx.has(journalled)).toBe(true);
  });

  it('keeps what a kept run produced and the cache entries pointing at it; drops entries whose value goes', async () => {
    const ctx = open();
    addRun(ctx, 'run_old', 1000);
    addRun(ctx, 'run_new', 2000);
    const [keep, drop, dangling] = ['a', 'b', 'c'].map((c) => c.repeat(64)) as [string, string, string];
    const unlisted = ctx.put(1, { type: 'JSON', producer: { runId: 'run_new', stepId: 'side' } });
    const stale = ctx.put(2, { type: 'JSON', producer: { runId: 'run_old', stepId: 'side' } });
    ctx.store.cache.set(keep, unlisted);
    ctx.store.cache.set(drop, stale);
    ctx.store.cache.set(dangling, ctx.put(3, { type: 'JSON' }));
    ctx.delete(ctx.store.cache.get(dangling) as string);

    const report = await pruneStore(ctx.store, { keepRuns: 1 });

    expect(report).toMatchObject({ runsDeleted: 1, valuesDeleted: 3, cacheEntriesDeleted: 2 });
    expect(ctx.has(unlisted)).toBe(true);
    expect(ctx.has(stale)).toBe(false);
    expect(ctx.store.cache.keys()).toEqual([keep]);
    expect(ctx.store.cache.get(keep)).toBe(unlisted);
  });

  it('with dryRun reports what it would remove and removes nothing', async () => {
    const ctx = open();
    addRun(ctx, 'run_a', 1000);
    addRun(ctx, 'run_b', 2000);
    ctx.store.cache.set('e'.repeat(64), ctx.put(1, { type: 'JSON', producer: { runId: 'run_a', stepId: 'x' } }));
    const before = contents(ctx.store);
    const dry = await pruneStore(ctx.store, { keepRuns: 1, dryRun: true });
    expect(contents(ctx.store)).toEqual(before);
    expect(dry).toMatchObject({ runsDeleted: 1, valuesDeleted: 3, cacheEntriesDeleted: 1 });
    expect(await pruneStore(ctx.store, { keepRuns: 1 })).toEqual(dry);
  });

  it('spares values that nothing references while they are younger than the grace (a run may be in progress)', async () => {
    const ctx = open();
    addRun(ctx, 'run_a', 1000);
    const orphan = ctx.put(1, { type: 'JSON' });
    const inProgress = ctx.put(2, { type: 'JSON', producer: { runId: 'run_unsaved', stepId: 'x' } });
    expect((await pruneStore(ctx.store, { keepRuns: 1 })).valuesDeleted).toBe(0);
    const later = { keepRuns: 1, orphanGraceMs: 60_000, now: Date.now() + 61_000 };
    expect(await pruneStore(ctx.store, later)).toMatchObject({ runsDeleted: 0, valuesDeleted: 2 });
    expect(ctx.has(orphan) || ctx.has(inProgress)).toBe(false);
  });

  it('never removes a run still running (its process lives) or interrupted (resumable), nor the values they use', async () => {
    const ctx = open();
    const done = addRun(ctx, 'run_done', 3000);
    const live = addRun(ctx, 'run_live', 1000);
    const cut = addRun(ctx, 'run_cut', 2000);
    const produced = ctx.put(9, { type: 'JSON', producer: { runId: 'run_live', stepId: 'next' } });
    const running = ctx.store.runs.load('run_live')?.record as RunRecord;
    ctx.store.runs.save({ ...running, status: 'running', owner: currentOwner() });
    // saved as running by a process that is gone
    const stopped = ctx.store.runs.load('run_cut')?.record as RunRecord;
    ctx.store.runs.save({ ...stopped, status: 'running', owner: { ...currentOwner(), pid: deadPid() } });
    expect(claimLocalRun('run_live')).toBe(true);
    onTestFinished(() => releaseLocalRun('run_live'));

    const report = await pruneStore(ctx.store, { keepRuns: 0, orphanGraceMs: 0 });

    expect(report).toMatchObject({ runsDeleted: 1, deletedRuns: ['run_done'], runsKept: 2 });
    expect(runIds(ctx.store)).toEqual(['run_cut', 'run_live']);
    for (const ref of [live.input, live.output, produced, cut.input, cut.output]) expect(ctx.has(ref), ref).toBe(true);
    expect(ctx.has(done.input) || ctx.has(done.output)).toBe(false);
  });

  it('with keepRuns 0 removes every run and its values', async () => {
    const ctx = open();
    addRun(ctx, 'run_a', 1000);
    addRun(ctx, 'run_b', 2000);
    expect(await pruneStore(ctx.store, { keepRuns: 0 })).toMatchObject({
      runsDeleted: 2,
      valuesDeleted: 4,
      runsKept: 0,
    });
    expect(contents(ctx.store)).toEqual({ runs: [], refs: [], cache: [] });
  });

  it('pages through more runs than one listing page holds', async () => {
    const ctx = open();
    for (let i = 0; i < 1005; i++) ctx.store.runs.save(sampleRunRecord(`run_${i}`, { startedAt: i }));
    const report = await pruneStore(ctx.store, { keepRuns: 1000 });
    expect(report).toMatchObject({ runsDeleted: 5, runsKept: 1000 });
    expect(report.deletedRuns).toEqual(['run_4', 'run_3', 'run_2', 'run_1', 'run_0']);
  });

  it('removes runs older than maxAgeMs, with their values, however few runs there are', async () => {
    const ctx = open();
    const old = addRun(ctx, 'run_old', 1_000);
    const recent = addRun(ctx, 'run_new', 9_000);
    const report = await pruneStore(ctx.store, { keepRuns: 10, maxAgeMs: 5_000, now: 10_000, orphanGraceMs: 0 });
    expect(report).toMatchObject({ deletedRuns: ['run_old'], runsKept: 1 });
    expect(ctx.store.values.has(old.output)).toBe(false);
    expect(ctx.store.values.has(recent.output)).toBe(true);
  });

  it('never removes a run still running in a live process, whatever the limits', async () => {
    const ctx = open();
    addRun(ctx, 'run_done', 2_000);
    ctx.store.runs.save(
      sampleRunRecord('run_live', {
        status: 'running',
        startedAt: 1_000,
        owner: { pid: process.ppid, host: hostname(), heartbeatAt: Date.now() },
      }),
    );
    ctx.store.runs.save(
      sampleRunRecord('run_gone', {
        status: 'running',
        startedAt: 500,
        owner: { pid: 1 << 22, host: hostname(), heartbeatAt: 0 },
      }),
    );
    const report = await pruneStore(ctx.store, { keepRuns: 0, maxAgeMs: 0 });
    expect(report.deletedRuns.sort()).toEqual(['run_done', 'run_gone']);
    expect(runIds(ctx.store)).toEqual(['run_live']);
  });

  it('refuses a maxAgeMs or maxBytes below 0', async () => {
    const ctx = open();
    await expect(pruneStore(ctx.store, { keepRuns: 1, maxAgeMs: -1 })).rejects.toThrow(/maxAgeMs/);
    await expect(pruneStore(ctx.store, { keepRuns: 1, maxBytes: Number.NaN })).rejects.toThrow(/maxBytes/);
  });

  it('refuses a keepRuns that is not a whole number of at least 0, before touching the store', async () => {
    const ctx = open();
    addRun(ctx, 'run_a', 1000);
    for (const keepRuns of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      await expect(pruneStore(ctx.store, { keepRuns })).rejects.toMatchObject({ code: 'FIELD_INVALID' });
    await expect(pruneStore(ctx.store, { keepRuns: 0, orphanGraceMs: -1 })).rejects.toThrow(/orphanGraceMs/);
    expect(runIds(ctx.store)).toEqual(['run_a']);
  });
});

describe('pruneStore on a FileStore directory', () => {
  const open = () =>
    new RuntimeContext({ store: new FileStore(mkdtempSync(join(root, 'f-'))), registry: contractRegistry() });

  it('keeps runs newest first while their values fit in maxBytes; the first past it and every older one go', async () => {
    const ctx = open();
    const sizes: number[] = [];
    for (const [id, startedAt] of [
      ['run_1', 1_000],
      ['run_2', 2_000],
      ['run_3', 3_000],
      ['run_4', 4_000],
    ] as const) {
      const output = ctx.put('x'.repeat(1_000), { type: 'Text', producer: { runId: id, stepId: 's' } });
      ctx.store.runs.save(
        sampleRunRecord(id, { startedAt, steps: [{ id: 's', status: 'completed', attempts: 1, output }] }),
      );
      sizes.push(ctx.store.values.meta(output)?.bytes ?? 0);
    }
    const [, , third = 0, fourth = 0] = sizes;
    expect(fourth).toBeGreaterThanOrEqual(1_000);
    const report = await pruneStore(ctx.store, { keepRuns: 10, maxBytes: fourth + third });
    expect(report.deletedRuns).toEqual(['run_2', 'run_1']);
    expect(report.bytesFreed).toBe((sizes[0] ?? 0) + (sizes[1] ?? 0));
    // the newest run is kept whatever its size
    expect((await pruneStore(ctx.store, { keepRuns: 10, maxBytes: 0 })).deletedRuns).toEqual(['run_3']);
    expect(ctx.store.runs.list().runs.map((run) => run.id)).toEqual(['run_4']);
  });

  it('frees the bytes of the removed value files', async () => {
    const ctx = open();
    const dir = ctx.store.dir;
    const big = ctx.put('x'.repeat(10_000), { type: 'Text', producer: { runId: 'run_a', stepId: 's' } });
    ctx.store.runs.save(
      sampleRunRecord('run_a', { startedAt: 1, steps: [{ id: 's', status: 'completed', attempts: 1, output: big }] }),
    );
    ctx.store.runs.save(sampleRunRecord('run_b', { startedAt: 2, steps: [] }));
    const size = statSync(join(dir, 'values', `${big}.value`)).size;
    expect((await pruneStore(ctx.store, { keepRuns: 1 })).bytesFreed).toBe(size);
    expect(size).toBeGreaterThanOrEqual(10_000);
  });

  it('removes the temporary files killed writes left, once older than the grace (never younger than ten minutes)', async () => {
    const ctx = open();
    const dir = ctx.store.dir;
    const stale = ['values/.ref_a.value.x1.tmp', 'runs/.run_a.json.x2.tmp', 'cache/.k.json.x3.tmp'];
    for (const name of stale) writeFileSync(join(dir, name), 'half a write');
    const old = (Date.now() - 2 * 60 * 60 * 1000) / 1000;
    for (const name of stale) utimesSync(join(dir, name), old, old);
    writeFileSync(join(dir, 'values', '.ref_b.value.x4.tmp'), 'a write going on');
    const temporaries = () =>
      ['values', 'runs', 'cache'].flatMap((sub) => readdirSync(join(dir, sub)).filter((name) => name.endsWith('.tmp')));

    const dry = await pruneStore(ctx.store, { keepRuns: 1, dryRun: true });
    expect(dry).toMatchObject({ tempFilesDeleted: 3, bytesFreed: 3 * 'half a write'.length });
    expect(temporaries()).toHaveLength(4);
    // a grace of 0 still spares a temporary file written a moment ago: its write may be going on
    expect(await pruneStore(ctx.store, { keepRuns: 1, orphanGraceMs: 0 })).toMatchObject({ tempFilesDeleted: 3 });
    expect(temporaries()).toEqual(['.ref_b.value.x4.tmp']);
    const later = { keepRuns: 1, orphanGraceMs: 0, now: Date.now() + 11 * 60 * 1000 };
    expect(await pruneStore(ctx.store, later)).toMatchObject({ tempFilesDeleted: 1 });
    expect(temporaries()).toEqual([]);
  });

  it('leaves a damaged run record alone (it cannot say which values it used) and removes a damaged cache entry', async () => {
    const ctx = open();
    const dir = ctx.store.dir;
    const kept = ctx.put(1, { type: 'JSON' });
    ctx.store.runs.save(sampleRunRecord('run_a', { startedAt: 1, outputs: { result: kept } }));
    writeFileSync(join(dir, 'runs', 'run_b.json'), '{"startedAt": 5, oops');
    writeFileSync(join(dir, 'cache', `${'f'.repeat(64)}.json`), '{');
    expect(await pruneStore(ctx.store, { keepRuns: 1 })).toMatchObject({ deletedRuns: [], cacheEntriesDeleted: 1 });
    expect(runIds(ctx.store)).toEqual(['run_a']);
    expect(ctx.has(kept)).toBe(true);
  });
});

describe('retentionLimits', () => {
  it('fills each limit the policy does not give from the defaults: 100 runs, 30 days, 10 GiB', () => {
    expect(DEFAULT_RETENTION).toEqual({ keepRuns: 100, maxAgeDays: 30, maxBytes: 10 * 1024 ** 3 });
    expect(retentionLimits()).toEqual({ keepRuns: 100, maxAgeMs: 30 * 86_400_000, maxBytes: 10 * 1024 ** 3 });
    expect(retentionLimits({ keepRuns: 5, maxAgeDays: 1 })).toEqual({
      keepRuns: 5,
      maxAgeMs: 86_400_000,
      maxBytes: 10 * 1024 ** 3,
    });
  });
});
