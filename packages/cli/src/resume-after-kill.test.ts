// A run killed from outside (SIGKILL: no handler runs; SIGTERM: cancelled cleanly) is listed and resumed:
// only the steps that had not completed run again, and the completed outputs are kept as they were.
// Spawns the built command (`npm run build` first; npm test does).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileStore, loadRun, type RunRecord } from '@stepwise/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fixtures, stepwise, tempDir } from './test-io.js';

const bin = resolve(fileURLToPath(new URL('.', import.meta.url)), '../bin/stepwise.js');

/** A five-step workflow: each step appends its id to `tally`; step s3 waits while `hold` exists. */
function fiveSteps(dir: string): { file: string; tally: string; hold: string } {
  const tally = join(dir, 'tally.txt');
  const hold = join(dir, 'hold');
  const steps = ['s1', 's2', 's3', 's4', 's5'].map((id, i) => ({
    id,
    type: i === 0 ? 'test_tally_start' : 'test_tally',
    config: id === 's3' ? { tally, hold } : { tally },
  }));
  const document = { format: 'stepwise.workflow', version: 1, id: 'five', name: 'Five steps', steps };
  const file = join(dir, 'five.json');
  writeFileSync(file, JSON.stringify(document));
  writeFileSync(hold, '');
  return { file, tally, hold };
}

/** Starts `stepwise run` in a child process; answers it and the run id it prints first. */
async function startRun(args: string[]): Promise<{ child: ChildProcess; runId: string; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'run', ...args], {
    cwd: fixtures,
    env: { ...process.env, NO_COLOR: '1' },
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const runId = await new Promise<string>((done, fail) => {
    const look = () => {
      const found = /^Run (run_\S+) started/m.exec(stdout);
      if (found) done(found[1] as string);
    };
    child.stdout?.on('data', look);
    child.on('exit', (code) => fail(new Error(`the run exited (${code}) before printing its id:\n${stdout}`)));
  });
  return { child, runId, output: () => stdout };
}

/** Waits until s3 runs (it tallied) and the store shows it: s1, s2 completed and s3 running (its checkpoint written). */
async function untilStepThreeRuns(store: string, runId: string, tally: string): Promise<RunRecord> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const record = await loadRun(new FileStore(store).runs, runId);
    const states = record?.steps.map((step) => step.status).join();
    const tallied = existsSync(tally) && lines(tally).includes('s3');
    if (record !== undefined && tallied && states === 'completed,completed,running,pending,pending') return record;
    if (Date.now() > deadline) throw new Error(`step 3 never showed running: ${JSON.stringify(record?.steps)}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((done) => child.on('exit', (code, signal) => done({ code, signal })));
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').trim().split('\n');
}

/** Runs the built `stepwise` to the end in a child process, as a user would (the same loader as the run). */
function stepwiseChild(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: fixtures, env: { ...process.env, NO_COLOR: '1' } });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((done) => child.on('exit', (code) => done({ code, stdout })));
}
const outputBytes = (store: string, record: RunRecord | undefined, id: string) =>
  readFileSync(join(store, 'values', `${record?.steps.find((step) => step.id === id)?.output}.value`));

describe('a run killed from outside', () => {
  it('SIGKILL while step 3 runs: listed interrupted; resume runs steps 3-5 only and keeps 1-2 as they were', async () => {
    const dir = tempDir();
    const store = join(dir, 'store');
    const { file, tally, hold } = fiveSteps(dir);
    const { child, runId } = await startRun([file, '--store', store]);
    const before = await untilStepThreeRuns(store, runId, tally);
    const kept = [outputBytes(store, before, 's1'), outputBytes(store, before, 's2')];
    child.kill('SIGKILL');
    expect((await exited(child)).signal).toBe('SIGKILL');

    const listed = await stepwise(['runs', '--store', store]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${runId}\\s*│\\s*five\\s*│\\s*interrupted`));
    const filtered = await stepwise(['runs', '--store', store, '--status', 'interrupted', '--json']);
    expect((JSON.parse(filtered.stdout) as { runs: { id: string }[] }).runs.map((run) => run.id)).toEqual([runId]);

    rmSync(hold);
    const resumed = await stepwiseChild(['resume', '--store', store, runId]);
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(lines(tally)).toEqual(['s1', 's2', 's3', 's3', 's4', 's5']);
    const after = await loadRun(new FileStore(store).runs, runId);
    expect(after?.status).toBe('completed');
    expect([outputBytes(store, after, 's1'), outputBytes(store, after, 's2')]).toEqual(kept);
    expect(after?.steps.slice(0, 2).map((step) => step.output)).toEqual(before.steps.slice(0, 2).map((s) => s.output));
    expect(resumed.stdout).toMatch(/✔ s1\s+test_tally_start\s+\S+\s+reused/);
    expect(readFileSync(join(store, 'values', `${after?.outputs.result}.value`), 'utf8')).toBe('5');
  });

  it('SIGTERM while step 3 runs: cancelled cleanly (exit 143, record saved); resume runs steps 3-5 only', async () => {
    const dir = tempDir();
    const store = join(dir, 'store');
    const { file, tally, hold } = fiveSteps(dir);
    const { child, runId, output } = await startRun([file, '--store', store]);
    await untilStepThreeRuns(store, runId, tally);
    child.kill('SIGTERM');
    expect((await exited(child)).code).toBe(143);
    expect(output()).toContain('Interrupted (SIGTERM)');
    expect(output()).toMatch(new RegExp(`npx stepwise resume --store \\S+ ${runId} \\S*five\\.json`));
    const record = await loadRun(new FileStore(store).runs, runId);
    expect(record?.status).toBe('cancelled');
    expect(record?.steps.map((step) => step.status)).toEqual([
      'completed',
      'completed',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect((await stepwise(['runs', '--store', store])).stdout).toMatch(new RegExp(`${runId}.*cancelled`));

    rmSync(hold);
    const resumed = await stepwiseChild(['resume', '--store', store, runId, file]);
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(lines(tally)).toEqual(['s1', 's2', 's3', 's3', 's4', 's5']);
    expect(existsSync(hold)).toBe(false);
  });
});
