// A process SIGKILLed right after a step completed loses nothing of that step: its output (written
// without waiting for the disk) and the journal entry that says so (appended at once, before anyone
// can see the completion) are there, and the resume keeps it instead of running the step again.
// Spawns plain node on the built core (`npm run build` first; npm test does).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../context/file/file-store.js';
import { loadRun } from '../runs/read-runs.js';

const child = fileURLToPath(new URL('../../test-fixtures/kill-after-step-child.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'stepwise-kill-after-step-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Started {
  proc: ChildProcess;
  output: Promise<{ code: number | null; stdout: string }>;
  /** Resolves once the child printed `line` on its stdout. */
  printed(line: string): Promise<void>;
}

function start(args: string[]): Started {
  const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const waiting: { line: string; done: () => void }[] = [];
  proc.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wait of waiting) if (stdout.split('\n').includes(wait.line)) wait.done();
  });
  proc.stderr?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
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
