import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleRunRecord } from '../../testing/index.js';
import { RuntimeContext } from '../runtime-context.js';
import { FileStore } from './file-store.js';

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const contextEntry = fileURLToPath(new URL('../index.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stepwise-file-store-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// runs in a separate node process (TypeScript loaded by tsx): reads what the parent wrote, writes back
const child = `
import { FileStore, RuntimeContext } from ${JSON.stringify(contextEntry)};
const [dir, ref, record] = process.argv.slice(2);
const ctx = new RuntimeContext({ store: new FileStore(dir) });
const seen = { value: ctx.get(ref), info: ctx.info(ref), run: ctx.store.runs.load('run_parent') };
const mine = ctx.put('written by the child', { type: 'Text', producer: { runId: 'run_child', stepId: 'c' } });
ctx.store.runs.save({ ...JSON.parse(record), id: 'run_child', outputs: { result: mine } });
ctx.store.runs.append('run_parent', [{ type: 'note', by: 'child' }]);
process.stdout.write(JSON.stringify({ seen, mine }));
`;

describe('FileStore across processes', () => {
  it('another process reads refs and run records written here, and this one reads what it wrote', () => {
    const ctx = new RuntimeContext({ store: new FileStore(join(dir, 'store')) });
    const ref = ctx.put({ rows: [1, 2] }, { type: 'JSON', producer: { runId: 'run_parent', stepId: 'p' } });
    const parentRecord = sampleRunRecord('run_parent', { status: 'failed' });
    ctx.store.runs.save(parentRecord);
    const script = join(dir, 'child.mts');
    writeFileSync(script, child);
    const args = [join(dir, 'store'), ref, JSON.stringify(sampleRunRecord('run_x'))];
    const output = execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const { seen, mine } = JSON.parse(output) as { seen: Record<string, unknown>; mine: string };
    expect(seen).toEqual({
      value: { rows: [1, 2] },
      info: ctx.info(ref),
      run: {
        record: parentRecord,
        journal: [],
        summary: expect.objectContaining({ id: 'run_parent', status: 'failed' }),
      },
    });
    expect(ctx.get(mine)).toBe('written by the child');
    expect(ctx.info(mine)).toMatchObject({ type: 'Text', producer: { runId: 'run_child', stepId: 'c' } });
    expect(ctx.store.runs.load('run_child')?.record.outputs).toEqual({ result: mine });
    expect(ctx.store.runs.load('run_parent')?.journal).toEqual([{ type: 'note', by: 'child' }]);
  });
});
