// A process SIGKILLed right after a step completed loses nothing of that step: its output (written
// without waiting for the disk) and the journal entry that says so (appended at once, before anyone
// can see the completion) are there, and the resume keeps it instead of running the step again.
// Spawns plain node on the built core (`npm run build` first; npm test does).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../context/file/file-store.js';
import { loadRun } from '../runs/read-runs.js';
import { startChild } from './child-process-kit.js';

const child = fileURLToPath(new URL('../../test-fixtures/kill-after-step-child.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'stepwise-kill-after-step-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const start = (args: string[]) => startChild(child, args);

describe('a run killed right after a step completed', () => {
  it('resumes with that step reused: same output ref, readable, and the step not run again', async () => {
    const store = join(root, 'store');
    const tally = join(root, 'tally.txt');
    const runId = 'run_killedafter1';
    const running = start(['run', store, runId, tally]);
    // poll the store as another process would, and kill the moment the journal says `made` completed
    const runs = new FileStore(store).runs;
    const deadline = Date.now() + 30_000;
    let output: string | undefined;
    while (output === undefined) {
      if (Date.now() > deadline) throw new Error(`made never completed: ${(await running.output).stdout}`);
      const record = existsSync(join(store, 'runs')) ? await loadRun(runs, runId) : undefined;
      const made = record?.steps.find((step) => step.id === 'made');
      if (made?.status === 'completed') output = made.output;
      else await new Promise((resolve) => setTimeout(resolve, 2));
    }
    running.proc.kill('SIGKILL');
    expect((await running.output).code).toBe(null);
    expect(readFileSync(tally, 'utf8')).toBe('made\n');

    const resumed = await start(['resume', store, runId, tally]).output;
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual({
      before: 'interrupted',
      after: 'completed',
      madeOutput: output,
      reusedFrom: runId,
      rows: 1000,
      result: 1000,
    });
    expect(readFileSync(tally, 'utf8')).toBe('made\n');
  }, 120_000);

  it('resumes with that step reused when killed the moment its step.completed event was out', async () => {
    // the entry is appended before the event: a checkpoint interval must not lose it
    const store = join(root, 'store-at-event');
    const tally = join(root, 'tally-at-event.txt');
    const runId = 'run_killedatevent1';
    const running = start(['run', store, runId, tally]);
    await running.printed('completed made');
    running.proc.kill('SIGKILL');
    expect((await running.output).code).toBe(null);
    expect(readFileSync(tally, 'utf8')).toBe('made\n');

    const resumed = await start(['resume', store, runId, tally]).output;
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({
      before: 'interrupted',
      after: 'completed',
      reusedFrom: runId,
      rows: 1000,
      result: 1000,
    });
    expect(readFileSync(tally, 'utf8')).toBe('made\n');
  }, 120_000);
});
