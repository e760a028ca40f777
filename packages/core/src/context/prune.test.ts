import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContextStore } from './context-store.js';
import { FileStore } from './file-store.js';
import { MemoryStore } from './memory-store.js';
import { pruneStore } from './prune.js';
import { RuntimeContext } from './runtime-context.js';
import { contractRegistry } from './store.contract.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-prune-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const stores: [string, () => ContextStore][] = [
  ['MemoryStore', () => new MemoryStore()],
  ['FileStore', () => new FileStore(mkdtempSync(join(root, 's-')))],
];

/** Everything the store holds, to compare before and after. */
function contents(store: ContextStore) {
  return { runs: store.listRuns(), refs: store.list().sort(), cache: store.listCacheEntries() };
}

describe.each(stores)('pruneStore on a %s', (_name, makeStore) => {
  const open = () => new RuntimeContext({ store: makeStore(), registry: contractRegistry() });

  /** A run record (the fields pruning reads) whose input, step output and workflow output are new values. */
  function addRun(ctx: RuntimeContext, runId: string, startedAt: number) {
    const input = ctx.put([1, 2], { type: 'JSON' });
    const output = ctx.put([3], { type: 'JSON', producer: { runId, stepId: 'load' } });
    ctx.saveRun(runId, {
      id: runId,
      startedAt,
      inputs: { sales: input },
      outputs: { result: output },
      steps: [{ id: 'load', status: 'completed', output }],
    });
    return { input, output };
  }

  it('keeps the newest runs by startedAt with their values, and removes the older runs and the values only they used', () => {
    const ctx = open();
    const old = addRun(ctx, 'run_c', 1000);
    const newest = addRun(ctx, 'run_a', 3000);
    const middle = addRun(ctx, 'run_b', 2000);
    const expectedBytes = [old.input, old.output].reduce((sum, ref) => sum + (ctx.store.meta(ref)?.bytes ?? 0), 0);

    const report = pruneStore(ctx, { keepRuns: 2 });

    expect(report).toEqual({
      runsDeleted: 1,
      valuesDeleted: 2,
      cacheEntriesDeleted: 0,
      bytesFreed: expectedBytes,
      deletedRuns: ['run_c'],
      runsKept: 2,
    });
    expect(ctx.store.listRuns()).toEqual(['run_a', 'run_b']);
    expect(ctx.has(old.input) || ctx.has(old.output)).toBe(false);
    for (const ref of [newest.input, newest.output, middle.input, middle.output]) expect(ctx.has(ref)).toBe(true);
  });

  it('never removes a value a kept run references, even one a removed run produced', () => {
    const ctx = open();
    const old = addRun(ctx, 'run_old', 1000);
    const reused = ctx.put(7, { type: 'JSON', producer: { runId: 'run_old', stepId: 'total' } });
    const fixed = ctx.put('fixed', { type: 'Text', producer: { runId: 'run_old', stepId: 'note' } });
    ctx.saveRun('run_new', {
      id: 'run_new',
      startedAt: 2000,
      inputs: { sales: old.input },
      outputs: { result: reused },
      steps: [{ id: 'load', status: 'completed', output: old.output, cached: true }],
      workflow: { steps: [{ id: 'note', inputs: { text: { ref: fixed } } }] },
    });

    const report = pruneStore(ctx, { keepRuns: 1 });

    expect(report).toMatchObject({ runsDeleted: 1, valuesDeleted: 0, deletedRuns: ['run_old'] });
    expect(ctx.loadRun('run_old')).toBeUndefined();
    for (const ref of [old.input, old.output, reused, fixed]) expect(ctx.has(ref)).toBe(true);
  });

  it('keeps what a kept run produced and the cache entries pointing at it; drops entries whose value goes', () => {
    const ctx = open();
    addRun(ctx, 'run_old', 1000);
    addRun(ctx, 'run_new', 2000);
    const [keep, drop, dangling] = ['a', 'b', 'c'].map((c) => c.repeat(64)) as [string, string, string];
    const unlisted = ctx.put(1, { type: 'JSON', producer: { runId: 'run_new', stepId: 'side' } });
    const stale = ctx.put(2, { type: 'JSON', producer: { runId: 'run_old', stepId: 'side' } });
    ctx.setCachedRef(keep, unlisted);
    ctx.setCachedRef(drop, stale);
    ctx.setCachedRef(dangling, ctx.put(3, { type: 'JSON' }));
    ctx.delete(ctx.store.readCacheEntry(dangling) as string);

    const report = pruneStore(ctx, { keepRuns: 1 });

    expect(report).toMatchObject({ runsDeleted: 1, valuesDeleted: 3, cacheEntriesDeleted: 2 });
    expect(ctx.has(unlisted)).toBe(true);
    expect(ctx.has(stale)).toBe(false);
    expect(ctx.store.listCacheEntries()).toEqual([keep]);
    expect(ctx.cachedRef(keep)).toBe(unlisted);
  });

  it('counts a record without a readable startedAt as the oldest', () => {
    const ctx = open();
    addRun(ctx, 'run_a', 1000);
    addRun(ctx, 'run_b', 2000);
    ctx.saveRun('run_z', { note: 'not a run record' });
    expect(pruneStore(ctx, { keepRuns: 2 }).deletedRuns).toEqual(['run_z']);
    expect(pruneStore(ctx, { keepRuns: 1 }).deletedRuns).toEqual(['run_a']);
    expect(ctx.store.listRuns()).toEqual(['run_b']);
  });

  it('with dryRun reports what it would remove and removes nothing', () => {
    const ctx = open();
    addRun(ctx, 'run_a', 1000);
    addRun(ctx, 'run_b', 2000);
    ctx.setCachedRef('e'.repeat(64), ctx.put(1, { type: 'JSON', producer: { runId: 'run_a', stepId: 'x' } }));
    const before = contents(ctx.store);
    const dry = pruneStore(ctx, { keepRuns: 1, dryRun: true });
    expect(contents(ctx.store)).toEqual(before);
    expect(dry).toMatchObject({ runsDeleted: 1, valuesDeleted: 3, cacheEntriesDeleted: 1 });
    expect(pruneStore(ctx, { keepRuns: 1 })).toEqual(dry);
  });

  it('spares values that nothing references while they are younger than the grace (a run may be in progress)', () => {
    const ctx = open();
    addRun(ctx, 'run_a', 1000);
    const orphan = ctx.put(1, { type: 'JSON' });
    const inProgress = ctx.put(2, { type: 'JSON', producer: { runId: 'run_unsaved', stepId: 'x' } });
    expect(pruneStore(ctx, { keepRuns: 1 }).valuesDeleted).toBe(0);
    expect(pruneStore(ctx, { keepRuns: 1, orphanGraceMs: 60_000, now: Date.now() + 61_000 })).toMatchObject({
      runsDeleted: 0,
      valuesDeleted: 2,
    });
    expect(ctx.has(orphan) || ctx.has(inProgress)).toBe(false);
  });

  it('with keepRuns 0 removes every run and its values', () => {
    const ctx = open();
    addRun(ctx, 'run_a', 1000);
    addRun(ctx, 'run_b', 2000);
    expect(pruneStore(ctx, { keepRuns: 0 })).toMatchObject({ runsDeleted: 2, valuesDeleted: 4, runsKept: 0 });
    expect(contents(ctx.store)).toEqual({ runs: [], refs: [], cache: [] });
  });

  it('is also the context method prune', () => {
    const ctx = open();
    addRun(ctx, 'run_a', 1000);
    addRun(ctx, 'run_b', 2000);
    expect(ctx.prune({ keepRuns: 1 })).toMatchObject({ deletedRuns: ['run_a'], valuesDeleted: 2 });
    expect(ctx.store.listRuns()).toEqual(['run_b']);
  });

  it('refuses a keepRuns that is not a whole number of at least 0, before touching the store', () => {
    const ctx = open();
    addRun(ctx, 'run_a', 1000);
    for (const keepRuns of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => pruneStore(ctx, { keepRuns })).toThrow(expect.objectContaining({ code: 'FIELD_INVALID' }));
    expect(() => pruneStore(ctx, { keepRuns: 0, orphanGraceMs: -1 })).toThrow(/orphanGraceMs/);
    expect(ctx.store.listRuns()).toEqual(['run_a']);
  });
});

describe('pruneStore on a FileStore directory', () => {
  const open = () =>
    new RuntimeContext({ store: new FileStore(mkdtempSync(join(root, 'f-'))), registry: contractRegistry() });

  it('frees the bytes of the removed value files', () => {
    const ctx = open();
    const dir = (ctx.store as FileStore).dir;
    const big = ctx.put('x'.repeat(10_000), { type: 'Text', producer: { runId: 'run_a', stepId: 's' } });
    ctx.saveRun('run_a', { startedAt: 1, steps: [{ output: big }] });
    ctx.saveRun('run_b', { startedAt: 2, steps: [] });
    const size = statSync(join(dir, 'values', `${big}.value`)).size;
    expect(pruneStore(ctx, { keepRuns: 1 }).bytesFreed).toBe(size);
    expect(size).toBeGreaterThanOrEqual(10_000);
  });

  it('removes a damaged run record first and a damaged cache entry', () => {
    const ctx = open();
    const dir = (ctx.store as FileStore).dir;
    const kept = ctx.put(1, { type: 'JSON' });
    ctx.saveRun('run_a', { startedAt: 1, outputs: { result: kept } });
    writeFileSync(join(dir, 'runs', 'run_b.json'), '{"startedAt": 5, oops');
    writeFileSync(join(dir, 'cache', `${'f'.repeat(64)}.json`), '{');
    expect(pruneStore(ctx, { keepRuns: 1 })).toMatchObject({ deletedRuns: ['run_b'], cacheEntriesDeleted: 1 });
    expect(ctx.store.listRuns()).toEqual(['run_a']);
    expect(ctx.has(kept)).toBe(true);
  });
});
