import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contractRegistry, describeStoreContract, sampleRunRecord } from '../../testing/index.js';
import { RuntimeContext } from '../runtime-context.js';
import { FileStore } from './file-store.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-file-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const freshDir = () => mkdtempSync(join(root, 's-'));

describeStoreContract('FileStore', () => new FileStore(freshDir()));

function open(dir: string) {
  return new RuntimeContext({ store: new FileStore(dir), registry: contractRegistry() });
}

function errorOf(run: () => unknown): Error & { code?: string } {
  try {
    run();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected an error');
}

describe('FileStore', () => {
  it('a new instance on the same directory reads refs, info, run records and journals written earlier', () => {
    const dir = freshDir();
    const first = open(dir);
    const ref = first.put([{ id: 1 }, { id: 2 }], { type: 'JSON', producer: { runId: 'run_a', stepId: 'load' } });
    const point = first.put({ x: 3, y: 4 }, { type: 'Point' });
    const record = sampleRunRecord('run_a', { status: 'running', outputs: { load: ref } });
    first.store.runs.save(record);
    first.store.runs.append('run_a', [{ type: 'step', stepId: 'load', status: 'failed' }], { status: 'failed' });
    const again = open(dir);
    expect(again.refs().sort()).toEqual([ref, point].sort());
    expect(again.get(ref)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(again.get(point)).toEqual({ x: 3, y: 4 });
    expect(again.info(ref)).toEqual({ ...first.info(ref), rows: 2 });
    expect(again.store.runs.load('run_a')).toEqual({
      record,
      journal: [{ type: 'step', stepId: 'load', status: 'failed' }],
      summary: { id: 'run_a', workflowId: 'sales', status: 'failed', startedAt: 1_000 },
    });
  });

  it('lays files out as values/<ref>.value, values/<ref>.meta.json, runs/<id>.json and .journal, and leaves no temp file', () => {
    const dir = freshDir();
    const ctx = open(dir);
    const refs = Array.from({ length: 20 }, (_, i) => ctx.put(`value ${i}`, { type: 'Text' }));
    ctx.store.runs.save(sampleRunRecord('run_1', { seq: 1 }));
    ctx.store.runs.save(sampleRunRecord('run_1', { seq: 2 }));
    const expected = refs.flatMap((ref) => [`${ref}.meta.json`, `${ref}.value`]).sort();
    expect(readdirSync(join(dir, 'values')).sort()).toEqual(expected);
    expect(readdirSync(join(dir, 'runs'))).toEqual(['run_1.json']);
    ctx.store.runs.append('run_1', [{ type: 'step' }]);
    expect(readdirSync(join(dir, 'runs')).sort()).toEqual(['run_1.journal', 'run_1.json']);
    ctx.store.runs.save(sampleRunRecord('run_1', { seq: 3 }));
    expect(readdirSync(join(dir, 'runs'))).toEqual(['run_1.json']);
  });

  it('reads a journal whose last line was cut short (the machine stopped mid-write) without it', () => {
    const dir = freshDir();
    const runs = new FileStore(dir).runs;
    runs.save(sampleRunRecord('run_cut', { status: 'running' }));
    runs.append('run_cut', [{ type: 'step', stepId: 'a' }], { status: 'failed' });
    writeFileSync(join(dir, 'runs', 'run_cut.journal'), '{"entries":[{"type":"st', { flag: 'a' });
    expect(runs.load('run_cut')).toMatchObject({
      journal: [{ type: 'step', stepId: 'a' }],
      summary: { status: 'failed' },
    });
    writeFileSync(join(dir, 'runs', 'run_cut.journal'), '{oops\n{"entries":[]}\n');
    expect(errorOf(() => runs.load('run_cut'))).toMatchObject({
      code: 'STORE_CORRUPT',
      message: expect.stringContaining('run_cut'),
    });
  });

  it('reports bytes as the file size and rows from the data type', () => {
    const dir = freshDir();
    const ctx = open(dir);
    const ref = ctx.put([1, 2, 3, 4], { type: 'JSON' });
    expect(ctx.info(ref)).toMatchObject({ rows: 4, bytes: statSync(join(dir, 'values', `${ref}.value`)).size });
  });

  it('refuses at put time a value its data type cannot encode, naming the ref and type, and leaves nothing', () => {
    const dir = freshDir();
    const ctx = open(dir);
    for (const value of [() => 1, undefined, { n: 1n }]) {
      const error = errorOf(() => ctx.put(value));
      expect(error.code).toBe('VALUE_NOT_ENCODABLE');
      expect(error.message).toMatch(/Ref "ref_[\w-]+": a value of data type "Any"/);
    }
    const registry = contractRegistry();
    registry.registerDataType({
      name: 'Opaque',
      is: (_v): _v is object => true,
      encode: () => {
        throw new Error('not supported');
      },
      decode: () => ({}),
      preview: () => null,
    });
    const opaque = new RuntimeContext({ store: new FileStore(dir), registry });
    const error = errorOf(() => opaque.put({}, { type: 'Opaque' }));
    expect(error.code).toBe('VALUE_NOT_ENCODABLE');
    expect(error.message).toMatch(/"Opaque".*not supported/);
    expect(readdirSync(join(dir, 'values'))).toEqual([]);
  });

  it('still stores empty values that decode back (empty Text and Bytes)', () => {
    const ctx = open(freshDir());
    expect(ctx.get(ctx.put('', { type: 'Text' }))).toBe('');
    expect(ctx.get(ctx.put(new Uint8Array(0), { type: 'Bytes' }))).toEqual(new Uint8Array(0));
  });

  it('names the ref when a value file or its metadata is damaged or missing', () => {
    const dir = freshDir();
    const ctx = open(dir);
    const [a, b, c] = [1, 2, 3].map((n) => ctx.put([n], { type: 'JSON' })) as [string, string, string];
    writeFileSync(join(dir, 'values', `${a}.value`), '[1, oops');
    writeFileSync(join(dir, 'values', `${b}.meta.json`), '{"type":');
    rmSync(join(dir, 'values', `${c}.value`));
    for (const ref of [a, b, c]) {
      const error = errorOf(() => ctx.get(ref));
      expect(error.code).toBe('STORE_CORRUPT');
      expect(error.message).toContain(ref);
    }
    writeFileSync(join(dir, 'runs', 'run_bad.json'), '{');
    expect(errorOf(() => ctx.store.runs.load('run_bad')).message).toContain('run_bad');
    writeFileSync(join(dir, 'runs', 'run_partial.json'), '{"id":"run_partial"}');
    expect(errorOf(() => ctx.store.runs.load('run_partial'))).toMatchObject({ code: 'STORE_CORRUPT' });
    // a listing leaves damaged records out rather than failing
    expect(ctx.store.runs.list().runs).toEqual([]);
  });

  it('names the ref and data type when this process has not registered the type', () => {
    const dir = freshDir();
    const ref = open(dir).put({ x: 1, y: 1 }, { type: 'Point' });
    const error = errorOf(() => new RuntimeContext({ store: new FileStore(dir) }).get(ref));
    expect(error.code).toBe('DATA_TYPE_UNKNOWN');
    expect(error.message).toContain(ref);
    expect(error.message).toContain('"Point"');
  });

  it('lists only complete refs, ignoring stray and temporary files', () => {
    const dir = freshDir();
    const ctx = open(dir);
    const ref = ctx.put(1, { type: 'JSON' });
    for (const name of ['notes.txt', `.${ref}.meta.json.abc.tmp`, 'ref_x.meta.json', 'ref_onlyvalue1.value'])
      writeFileSync(join(dir, 'values', name), '{}');
    expect(ctx.refs()).toEqual([ref]);
  });

  it('lists only run records and cache entries by their well-formed names, ignoring stray and temporary files', () => {
    const dir = freshDir();
    const ctx = open(dir);
    const key = 'd'.repeat(64);
    ctx.store.runs.save(sampleRunRecord('run_1'));
    ctx.store.cache.set(key, ctx.put(1, { type: 'JSON' }));
    const valid = JSON.stringify(sampleRunRecord('run_2'));
    for (const name of ['notes.txt', '.run_2.json.abc.tmp', 'sales.json', 'run_3.json.bak'])
      writeFileSync(join(dir, 'runs', name), valid);
    for (const name of ['notes.json', `.${key}.json.abc.tmp`, 'short.json'])
      writeFileSync(join(dir, 'cache', name), '{}');
    expect(ctx.store.runs.list().runs.map((run) => run.id)).toEqual(['run_1']);
    expect(ctx.store.cache.keys()).toEqual([key]);
  });

  it('deletes both files of a ref', () => {
    const dir = freshDir();
    const ctx = open(dir);
    const ref = ctx.put('x', { type: 'Text' });
    expect(ctx.delete(ref)).toBe(true);
    expect(readdirSync(join(dir, 'values'))).toEqual([]);
  });

  it('keeps cache entries in cache/<key>.json, read by a new instance; a damaged one is STORE_CORRUPT', () => {
    const dir = freshDir();
    const ctx = open(dir);
    const key = 'c'.repeat(64);
    const ref = ctx.put(5, { type: 'JSON' });
    ctx.store.cache.set(key, ref);
    expect(readdirSync(join(dir, 'cache'))).toEqual([`${key}.json`]);
    expect(open(dir).store.cache.get(key)).toBe(ref);
    for (const damaged of ['{', '{"ref":"../x"}', 'null']) {
      writeFileSync(join(dir, 'cache', `${key}.json`), damaged);
      const error = errorOf(() => open(dir).store.cache.get(key));
      expect(error.code).toBe('STORE_CORRUPT');
      expect(error.message).toContain(key);
    }
  });
});
