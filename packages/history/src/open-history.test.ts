import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openHistory } from './open-history.js';
import { PostgresRunStore } from './postgres/postgres-run-store.js';
import { DATABASE_URL, dropSchema, freshSchema, postgresUnavailable } from './postgres/test-kit.js';
import { SqliteRunStore } from './sqlite/sqlite-run-store.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-open-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const unavailable = await postgresUnavailable();

describe('openHistory', () => {
  it('opens a sqlite: file relative to the root, creating it and its folder', async () => {
    const store = await openHistory('sqlite:deep/history.db', { root });
    expect(store).toBeInstanceOf(SqliteRunStore);
    expect(existsSync(join(root, 'deep/history.db'))).toBe(true);
    await store.close();
    const memory = await openHistory('sqlite::memory:');
    expect((await memory.list()).runs).toEqual([]);
    await memory.close();
  });

  it.skipIf(unavailable !== undefined)(
    `opens a postgres:// URL in the schema it names ${unavailable ?? ''}`,
    async () => {
      const schema = freshSchema();
      const store = await openHistory(`${DATABASE_URL}?schema=${schema}`);
      expect(store).toBeInstanceOf(PostgresRunStore);
      expect((store as PostgresRunStore).schema).toBe(schema);
      await store.close();
      await dropSchema(schema);
    },
  );

  it('refuses anything else with FIELD_INVALID naming history, a password hidden', async () => {
    for (const bad of ['mysql://root:secret@db/x', 'sqlite:', '.stepwise/history.db', 42])
      await expect(openHistory(bad as string), String(bad)).rejects.toMatchObject({
        code: 'FIELD_INVALID',
        message: expect.stringMatching(/^history: expected 'sqlite:'/),
      });
    await expect(openHistory('mysql://root:secret@db/x')).rejects.toSatisfy(
      (error: Error) => !error.message.includes('secret'),
    );
  });

  it('says where a PostgreSQL server cannot be reached, without the password', async () => {
    await expect(openHistory('postgres://u:secret@127.0.0.1:1/x')).rejects.toSatisfy(
      (error: Error) => /ECONNREFUSED/.test(error.message) && !error.message.includes('secret'),
    );
  });
});
