// `stepwise serve` as a user starts it (the built command in a child process): it answers on
// 127.0.0.1; killed with SIGKILL mid-run and started again, the run is listed interrupted and a
// resume completes it, keeping the steps that had completed. SIGTERM stops it cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { tempDir } from '../test-io.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const bin = resolve(here, '../../bin/stepwise.js');
const fixtureSteps = resolve(here, '../../../server/test-fixtures/steps.ts');

function project(history?: string): string {
  const dir = tempDir('stepwise-serve-');
  mkdirSync(join(dir, 'workflows'));
  const config = { steps: [fixtureSteps], store: '.stepwise/store', ...(history === undefined ? {} : { history }) };
  writeFileSync(join(dir, 'stepwise.config.mjs'), `export default ${JSON.stringify(config)};\n`);
  return dir;
}

/** Starts `stepwise serve --port 0` in `dir`; answers the child and the URL it printed. */
async function serve(dir: string, args: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
  });
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  const url = await new Promise<string>((done, fail) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (found) done(found[1] as string);
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.on('exit', (code) => fail(new Error(`serve exited (${code}) before listening:\n${output}`)));
  });
  return { child, url };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read fields of the JSON answers freely
async function api(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(new URL(path, url), {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

async function until<T>(what: string, get: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await get();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

describe('stepwise serve', () => {
  it.each([
    ['a file store', undefined],
    ['a SQLite run history', 'sqlite:.stepwise/history.db'],
  ])(
    'survives SIGKILL mid-run over %s: started again, the run is interrupted, and a resume completes it',
    async (_kind, history) => {
      const dir = project(history);
      const hold = join(dir, 'hold');
      writeFileSync(hold, '');
      const document = {
        format: 'stepwise.workflow',
        version: 1,
        id: 'held',
        steps: [
          { id: 'numbers', type: 'srv_numbers', config: { count: 3 } },
          { id: 'gate', type: 'srv_gate', config: { hold } },
          { id: 'sum', type: 'srv_sum', config: {} },
        ],
      };
      const first = await serve(dir);
      expect((await api(first.url, 'POST', '/api/workflows', document)).status).toBe(201);
      const { json } = await api(first.url, 'POST', '/api/runs', { workflowId: 'held' });
      const runId = json.runId as string;
      await until(
        'the gate step running',
        () => api(first.url, 'GET', `/api/runs/${runId}`),
        (answer) =>
          answer.json.steps.some(
            (step: { id: string; status: string }) => step.id === 'gate' && step.status === 'running',
          ),
      );
      first.child.kill('SIGKILL');
      await new Promise((done) => first.child.on('exit', done));

      const second = await serve(dir);
      const listed = await api(second.url, 'GET', '/api/runs?status=interrupted');
      expect(listed.json.runs.map((run: { id: string }) => run.id)).toEqual([runId]);
      const plan = await api(second.url, 'POST', `/api/plan?resume=${runId}`, document);
      expect(plan.json.steps.map((step: { action: string }) => step.action)).toEqual(['reuse', 'run', 'run']);
      rmSync(hold);
      expect((await api(second.url, 'POST', `/api/runs/${runId}/resume`, {})).status).toBe(202);
      const done = await until(
        'the resumed run completed',
        () => api(second.url, 'GET', `/api/runs/${runId}`),
        (answer) => answer.json.status === 'completed',
      );
      expect(done.json.steps[0].reusedFrom).toBe(runId);
      const output = done.json.outputs.result;
      expect((await api(second.url, 'GET', `/api/data/${output}/rows`)).json.json).toBe(6);

      second.child.kill('SIGTERM');
      const code = await new Promise((resolve) => second.child.on('exit', (exit) => resolve(exit)));
      expect(code).toBe(0);
      if (history !== undefined) {
        const db = new Database(join(dir, '.stepwise/history.db'), { readonly: true });
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        db.close();
      }
    },
  );

  it('refuses to listen on another address without a token', async () => {
    const dir = project();
    const child = spawn(process.execPath, [bin, 'serve', '--host', '0.0.0.0', '--port', '0'], { cwd: dir });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise((resolve) => child.on('exit', (exit) => resolve(exit)));
    expect(code).not.toBe(0);
    expect(output).toContain('without a token');
  });
});
