// A process SIGKILLed the moment a step's step.completed event was out, with its runs in a SQLite
// or PostgreSQL history, loses nothing of that step: the resume reuses it instead of running it
// again. Like core's runner/kill-after-step.test.ts, whose spawning harness lives inside that test
// file (importing it would run its tests here), so the few lines of `start` are repeated below.
// Spawns plain node on the built core and history (`npm run build` first).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('../test-fixtures/kill-after-step-child.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'stepwise-history-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function start(args: string[]) {
  const proc: ChildProcess = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const waiting: { line: string; done: () => void }[] = [];
  const take = (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wait of waiting) if (stdout.split('\n').includes(wait.line)) wait.done();
  };
  proc.stdout?.on('data', take);
  proc.stderr?.on('data', take);
  const limit = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  const output = new Promise<{ code: number | null; stdout: string }>((done) =>
    proc.on('exit', (code) => {
      clearTimeout(limit);
      done({ code, stdout });
    }),
  );
  const printed = (line: string) =>
    new Promise<void>((done, fail) => {
      waiting.push({ line, done });
      void output.then(({ stdout: all }) => fail(new Error(`exited before printing "${line}": ${all}`)));
    });
  return { proc, output, printed };
}

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
