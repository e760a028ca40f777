// A process SIGKILLed the moment a step's step.completed event was out, with its runs in a SQLite
// or PostgreSQL history, loses nothing of that step: the resume reuses it instead of running it
// again. Like core's runner/kill-after-step.test.ts, with the same harness (child-process-kit.ts).
// Spawns plain node on the built core and history (`npm run build` first).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startChild } from '../../core/src/runner/child-process-kit.js';

const child = fileURLToPath(new URL('../test-fixtures/kill-after-step-child.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'stepwise-history-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const start = (args: string[]) => startChild(child, args);

async function killAtEventThenResume(name: string, history: string): Promise<void> {
  const store = join(root, `store-${name}`);
  const tally = join(root, `tally-${name}.txt`);
  const runId = `run_killed${name}`;
  const running = start(['run', store, history, runId, tally]);
  await running.printed('completed made');
  running.proc.kill('SIGKILL');
  expect((await running.output).code).toBe(null);
  expect(readFileSync(tally, 'utf8')).toBe('made\n');

  const resumed = await start(['resume', store, history, runId, tally]).output;
  expect(resumed.code, resumed.stdout).toBe(0);
  expect(JSON.parse(resumed.stdout)).toEqual({
    before: 'interrupted',
    after: 'completed',
    reusedFrom: runId,
    rows: 1000,
    result: 1000,
  });
  expect(readFileSync(tally, 'utf8')).toBe('made\n');
}

describe('a run killed the moment its step.completed event was out', () => {
  it('resumes with that step reused, runs in a SQLite history', async () => {
    await killAtEventThenResume('sqlite', `sqlite:${join(root, 'history.db')}`);
  }, 120_000);
});
