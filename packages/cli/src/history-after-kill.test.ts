// A run writing its history to SQLite, killed with SIGKILL mid-run (a crashed server or CLI): the
// file passes PRAGMA integrity_check, the run is listed interrupted, and resume completes it.
// Spawns the built command (`npm run build` first; npm test does).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRun, type RunRecord } from '@stepwise/core';
import { SqliteRunStore } from '@stepwise/history';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fixtures, stepwise, tempDir } from './test-io.js';

const bin = resolve(fileURLToPath(new URL('.', import.meta.url)), '../bin/stepwise.js');

/** A project keeping history in SQLite, with a three-step workflow whose step s2 waits while `hold` exists. */
function project(): { dir: string; db: string; tally: string; hold: string } {
  const dir = tempDir();
  const [tally, hold] = [join(dir, 'tally.txt'), join(dir, 'hold')];
  writeFileSync(
    join(dir, 'stepwise.config.mjs'),
    `export default { steps: [${JSON.stringify(join(fixtures, 'steps.ts'))}], store: 'store', history: 'sqlite:history.db' };\n`,
  );
  const steps = ['s1', 's2', 's3'].map((id, i) => ({
    id,
    type: i === 0 ? 'test_tally_start' : 'test_tally',
    config: id === 's2' ? { tally, hold } : { tally },
  }));
  writeFileSync(
    join(dir, 'three.json'),
    JSON.stringify({ format: 'stepwise.workflow', version: 1, id: 'three', name: 'Three', steps }),
  );
  writeFileSync(hold, '');
  return { dir, db: join(dir, 'history.db'), tally, hold };
}

function child(dir: string, args: string[]): { child: ChildProcess; output: () => string } {
  const proc = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  onTestFinished(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  let output = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  proc.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return { child: proc, output: () => output };
}

/** Waits until the history shows s1 completed and s2 running (its checkpoint written). */
async function untilStepTwoRuns(db: string, tally: string, output: () => string): Promise<RunRecord> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const runId = /^Run (run_\S+) started/m.exec(output())?.[1];
    if (runId !== undefined && existsSync(db) && existsSync(tally)) {
      const store = new SqliteRunStore(db);
      const record = await loadRun(store, runId);
      store.close();
      if (record?.steps.map((step) => step.status).join() === 'completed,running,pending') return record;
    }
    if (Date.now() > deadline) throw new Error(`step 2 never showed running:\n${output()}`);
    await new Promise((done) => setTimeout(done, 25));
  }
}

describe('a run writing SQLite history, killed with SIGKILL', () => {
  it('leaves a whole file; the run reads as interrupted, is listed so, and resume completes it', async () => {
    const { dir, db, tally, hold } = project();
    const run = child(dir, ['run', 'three.json']);
    const before = await untilStepTwoRuns(db, tally, run.output);
    run.child.kill('SIGKILL');
    await new Promise((done) => run.child.on('exit', done));

    const store = new SqliteRunStore(db);
    expect(store.integrityCheck()).toBe('ok');
    expect((await loadRun(store, before.id))?.status).toBe('interrupted');
    store.close();
    const listed = await stepwise(['runs', '--status', 'interrupted', '--json'], { cwd: dir });
    expect((JSON.parse(listed.stdout) as { runs: { id: string }[] }).runs.map((r) => r.id)).toEqual([before.id]);

    rmSync(hold);
    const resume = child(dir, ['resume', before.id]);
    const code = await new Promise((done) => resume.child.on('exit', done));
    expect(code, resume.output()).toBe(0);
    expect(readFileSync(tally, 'utf8').trim().split('\n')).toEqual(['s1', 's2', 's2', 's3']);
    const after = new SqliteRunStore(db);
    expect((await loadRun(after, before.id))?.status).toBe('completed');
    expect(after.integrityCheck()).toBe('ok');
    after.close();
  });
});
