import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from './file-store.js';
import { RuntimeContext } from './runtime-context.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const contextEntry = fileURLToPath(new URL('./index.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stepwise-file-store-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// runs in a separate node process (TypeScript loaded by tsx): reads what the parent wrote, writes back
const child = `
import { FileStore, RuntimeContext } from ${JSON.stringify(contextEntry)};
const [dir, ref] = process.argv.slice(2);
const ctx = new RuntimeContext({ store: new FileStore(dir) });
const seen = { value: ctx.get(ref), info: ctx.info(ref), run: ctx.loadRun('run_parent') };
const mine = ctx.put('written by the child', { type: 'Text', producer: { runId: 'run_child', stepId: 'c' } });
ctx.saveRun('run_child', { status: 'completed', output: mine });
process.stdout.write(JSON.stringify({ seen, mine }));
`;

describe('FileStore across processes', () => {
  it('another process reads refs and run records written here, and this one reads what it wrote', () => {
    const ctx = new RuntimeContext({ store: new FileStore(join(dir, 'store')) });
    const ref = ctx.put({ rows: [1, 2] }, { type: 'JSON', producer: { runId: 'run_parent', stepId: 'p' } });
    ctx.saveRun('run_parent', { status: 'failed', steps: ['p'] });
    const script = join(dir, 'child.mts');
    writeFileSync(script, child);
    const output = execFileSync(process.execPath, ['--import', 'tsx', script, join(dir, 'store'), ref], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const { seen, mine } = JSON.parse(output) as { seen: Record<string, unknown>; mine: string };
    expect(seen).toEqual({ value: { rows: [1, 2] }, info: ctx.info(ref), run: { status: 'failed', steps: ['p'] } });
    expect(ctx.get(mine)).toBe('written by the child');
    expect(ctx.info(mine)).toMatchObject({ type: 'Text', producer: { runId: 'run_child', stepId: 'c' } });
    expect(ctx.loadRun('run_child')).toEqual({ status: 'completed', output: mine });
  });
});
