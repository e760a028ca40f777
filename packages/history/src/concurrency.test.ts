// Many writers on one history: 50 runs in parallel in one process (SQLite and PostgreSQL), and two
// processes writing one SQLite file at once. No SQLITE_BUSY (or any error) reaches a caller.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuntimeContext, type Store, stepType, Workflow, WorkflowRunner } from '@stepwise/core';
import { afterAll, describe, expect, it } from 'vitest';
import { openConfigStore } from './open-config-store.js';
import { DATABASE_URL, dropSchema, freshSchema, postgresUnavailable } from './postgres/test-kit.js';
import { SqliteRunStore } from './sqlite/sqlite-run-store.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-many-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const unavailable = await postgresUnavailable();
const writer = fileURLToPath(new URL('../test-fixtures/writer.mjs', import.meta.url));

const numbers = stepType({ slug: 'many_numbers', outputType: 'JSON' }, async () => {
  await new Promise((done) => setTimeout(done, 5));
  return [1, 2, 3];
});
const double = stepType(
  { slug: 'many_double', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative' },
  (n) => (n as number) * 2,
);

function workflow(): Workflow {
  const wf = new Workflow({ id: 'many', name: 'Many' });
  wf.add(numbers, {}, { id: 'numbers' });
  wf.add(double, {}, { id: 'double' });
  return wf;
}

/** Runs 50 runs at once on the store; every one completes and is listed completed. */
async function fiftyRuns(store: Store): Promise<void> {
  const runner = new WorkflowRunner();
  const context = new RuntimeContext<Store>({ store });
  const wf = workflow();
  const runs = await Promise.all(Array.from({ length: 50 }, () => runner.run(wf, { context })));
  await runner.close();
  expect(runs.map((run) => run.error?.code ?? run.status)).toEqual(Array(50).fill('completed'));
  const listed = await store.runs.list({ workflowId: 'many', limit: 1000 });
  expect(listed.runs).toHaveLength(50);
  expect(new Set(listed.runs.map((run) => run.status))).toEqual(new Set(['completed']));
  const one = await store.runs.load(runs[17]?.id as string);
  expect(one?.record.steps.map((step) => step.status)).toEqual(['completed', 'completed']);
}

describe('many writers on one history', () => {
  it('50 runs in parallel on a SQLite file all complete and are listed', async () => {
    const opened = await openConfigStore({ store: join(root, 'store1'), history: `sqlite:${join(root, 'h1.db')}` });
    try {
      await fiftyRuns(opened.store);
    } finally {
      await opened.close();
    }
  });

  it.skipIf(unavailable !== undefined)(
    `50 runs in parallel on PostgreSQL all complete and are listed ${unavailable ?? ''}`,
    async () => {
      const schema = freshSchema();
      const opened = await openConfigStore({
        store: join(root, 'store2'),
        history: `${DATABASE_URL}?schema=${schema}`,
      });
      try {
        await fiftyRuns(opened.store);
      } finally {
        await opened.close();
        await dropSchema(schema);
      }
    },
  );

  it('two processes writing one SQLite file at once: no write fails, every run is kept, the file is whole', async () => {
    const file = join(root, 'shared.db');
    new SqliteRunStore(file).close(); // created first, so both writers find the schema
    const count = 80;
    const results = await Promise.all(
      ['a', 'b'].map(
        (prefix) =>
          new Promise<{ failures: string[]; code: number | null; stderr: string }>((done) => {
            const child = spawn(process.execPath, [writer, file, prefix, String(count)]);
            let stdout = '';
            let stderr = '';
            child.stdout.on('data', (chunk: Buffer) => {
              stdout += chunk.toString();
            });
            child.stderr.on('data', (chunk: Buffer) => {
              stderr += chunk.toString();
            });
            child.on('exit', (code) =>
              done({
                code,
                stderr,
                failures: stdout ? (JSON.parse(stdout) as { failures: string[] }).failures : ['no output'],
              }),
            );
          }),
      ),
    );
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.failures).toEqual([]);
    }
    const store = new SqliteRunStore(file);
    for (const prefix of ['a', 'b']) {
      const page = store.list({ workflowId: prefix, limit: 1000 });
      expect(page.runs).toHaveLength(count);
      expect(page.runs.every((run) => run.status === 'completed')).toBe(true);
    }
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });
});
