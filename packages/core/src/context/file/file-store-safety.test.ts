import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, type Mock, vi } from 'vitest';
import { BAD_CACHE_KEYS, BAD_REFS, BAD_RUN_IDS, refCalls, sampleRunRecord } from '../../testing/index.js';
import { RuntimeContext } from '../runtime-context.js';
import { FileStore } from './file-store.js';

const SPIED = vi.hoisted(
  () =>
    [
      'appendFileSync',
      'closeSync',
      'existsSync',
      'fsyncSync',
      'mkdirSync',
      'openSync',
      'readdirSync',
      'readFileSync',
      'renameSync',
      'rmSync',
      'statSync',
      'writeFileSync',
    ] as const,
);

const spies = vi.hoisted(() => ({}) as Record<string, Mock>);

vi.mock('node:fs', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs')>();
  const spied: Record<string, unknown> = { ...original };
  for (const name of SPIED) {
    spies[name] = vi.fn(original[name] as (...args: unknown[]) => unknown);
    spied[name] = spies[name];
  }
  return { ...spied, default: spied };
});

const dir = mkdtempSync(join(tmpdir(), 'stepwise-file-store-safety-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('FileStore safety', () => {
  it('rejects bad refs, run ids and cache keys without touching the file system', () => {
    const ctx = new RuntimeContext({ store: new FileStore(dir) });
    const store = ctx.store;
    vi.clearAllMocks();
    for (const bad of BAD_REFS) {
      for (const call of refCalls(ctx, bad as string))
        expect(call).toThrow(expect.objectContaining({ code: 'REF_INVALID' }));
      expect(() => store.cache.set('k'.repeat(16), bad as string)).toThrow(
        expect.objectContaining({ code: 'REF_INVALID' }),
      );
    }
    for (const bad of BAD_RUN_IDS) {
      const id = bad as string;
      const { runs } = store;
      for (const call of [
        () => runs.save(sampleRunRecord(id)),
        () => runs.load(id),
        () => runs.append(id, [{ type: 'step' }]),
        () => runs.delete(id),
      ])
        expect(call).toThrow(expect.objectContaining({ code: 'RUN_ID_INVALID' }));
    }
    for (const bad of BAD_CACHE_KEYS) {
      const key = bad as string;
      for (const call of [
        () => store.cache.get(key),
        () => store.cache.set(key, 'ref_abcdefgh'),
        () => store.cache.delete(key),
      ])
        expect(call).toThrow(expect.objectContaining({ code: 'CACHE_KEY_INVALID' }));
    }
    expect(Object.keys(spies).sort()).toEqual([...SPIED].sort());
    for (const [name, spy] of Object.entries(spies)) expect(spy, name).not.toHaveBeenCalled();
  });

  it('the spies do see file-system access for a good ref (so the test above can fail)', () => {
    const ctx = new RuntimeContext({ store: new FileStore(dir) });
    vi.clearAllMocks();
    ctx.has('ref_abcdefgh');
    ctx.put(1, { type: 'JSON' });
    expect(spies.existsSync).toHaveBeenCalled();
    expect(spies.renameSync).toHaveBeenCalled();
  });
});
