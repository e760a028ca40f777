// A config that keeps run history in SQLite or PostgreSQL: run, runs, show, resume and prune read and
// write the runs there, while values stay in the file store.
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openHistory } from '@stepwise/history';
import { describe, expect, it } from 'vitest';
import { DATABASE_URL, dropSchema, freshSchema, postgresUnavailable } from '../../../history/src/postgres/test-kit.js';
import { fixtures, stepwise, tempDir } from '../test-io.js';

const runIdOf = (stdout: string) => /Run (run_\S+) /.exec(stdout)?.[1] ?? '';

/** A project whose config names `history`, with ok.json beside it. */
function project(history: string): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'stepwise.config.mjs'),
    `export default { steps: [${JSON.stringify(join(fixtures, 'steps.ts'))}], store: '.stepwise/store', history: ${JSON.stringify(history)} };\n`,
  );
  copyFileSync(join(fixtures, 'ok.json'), join(dir, 'ok.json'));
  return dir;
}

/** Runs the commands a user runs against a history: each must find the runs there. */
async function useHistory(dir: string, history: string): Promise<void> {
  const first = await stepwise(['run', 'ok.json'], { cwd: dir });
  expect(first.code, first.stderr).toBe(0);
  const second = await stepwise(['run', 'ok.json'], { cwd: dir });
  const [older, newer] = [runIdOf(first.stdout), runIdOf(second.stdout)];
  // the runs are in the history, not in the store's runs/ folder; the values are in the store
  expect(existsSync(join(dir, '.stepwise/store/runs')) ? readdirSync(join(dir, '.stepwise/store/runs')) : []).toEqual(
    [],
  );
  expect(readdirSync(join(dir, '.stepwise/store/values')).length).toBeGreaterThan(0);
  const runs = await openHistory(history, { root: dir });
  expect((await runs.list()).runs.map((run) => [run.id, run.status])).toEqual([
    [newer, 'completed'],
    [older, 'completed'],
  ]);
  await runs.close();

  const listed = await stepwise(['runs'], { cwd: dir });
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain(newer);
  expect(listed.stdout).toContain(older);
  const shown = await stepwise(['show', older], { cwd: dir });
  expect(shown.code, shown.stderr).toBe(0);
  expect(shown.stdout).toContain('completed');
  const resumed = await stepwise(['resume', older], { cwd: dir });
  expect(resumed.stdout).toContain('already completed');
  const pruned = await stepwise(['prune', '--keep', '1'], { cwd: dir });
  expect(pruned.code, pruned.stderr).toBe(0);
  expect(pruned.stdout).toContain(`  ${older}`);
  const after = await stepwise(['runs', '--json'], { cwd: dir });
  expect(after.stdout).toContain(newer);
  expect(after.stdout).not.toContain(older);
}

const unavailable = await postgresUnavailable();

describe('a config with history', () => {
  it('sqlite: run, runs, show, resume and prune use the SQLite file the config names', async () => {
    const history = 'sqlite:.stepwise/history.db';
    const dir = project(history);
    await useHistory(dir, history);
    expect(existsSync(join(dir, '.stepwise/history.db'))).toBe(true);
  });

  it.skipIf(unavailable !== undefined)(
    `postgres: the same commands use the PostgreSQL schema the URL names ${unavailable ?? ''}`,
    async () => {
      const schema = freshSchema();
      const history = `${DATABASE_URL}?schema=${schema}`;
      try {
        await useHistory(project(history), history);
      } finally {
        await dropSchema(schema);
      }
    },
  );
});
