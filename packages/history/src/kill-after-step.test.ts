// A process SIGKILLed the moment a step's step.completed event was out, with its runs in a SQLite
// or PostgreSQL history, loses nothing of that step: the resume reuses it instead of running it
// again. Like core's runner/kill-after-step.test.ts, with the same harness (child-process-kit.ts).
// PostgreSQL from DATABASE_URL, a schema of its own; skipped, saying why, when it is not reachable,
// unless STEPWISE_REQUIRE_ALL=1. Spawns plain node on the built core and history (`npm run build` first).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startChild } from '../../core/src/runner/child-process-kit.js';
import { DATABASE_URL, dropSchema, freshSchema, postgresUnavailable } from './postgres/test-kit.js';

const child = fileURLToPath(new URL('../test-fixtures/kill-after-step-child.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'stepwise-history-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const start = (args: string[]) => startChild(child, args);
const unavailable = await postgresUnavailable();

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

  // each transition is committed at once (without waiting for the disk), and the runner emits the
  // event only once the server acknowledged it
  it.skipIf(unavailable !== undefined)(
    `resumes with that step reused, runs in a PostgreSQL history${unavailable === undefined ? '' : ` (${unavailable})`}`,
    async () => {
      const schema = freshSchema();
      const url = new URL(DATABASE_URL);
      url.searchParams.set('schema', schema);
      try {
        await killAtEventThenResume('postgres', url.toString());
      } finally {
        await dropSchema(schema);
      }
    },
    120_000,
  );
});
