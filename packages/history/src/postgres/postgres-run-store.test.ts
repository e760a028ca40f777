import type { RunEvent } from '@stepwise/core';
import { describeRunStoreContract, sampleRunRecord } from '@stepwise/core/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PostgresRunStore } from './postgres-run-store.js';
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION } from './postgres-schema.js';
import { DATABASE_URL, dropSchema, freshSchema, postgresUnavailable } from './test-kit.js';

const unavailable = await postgresUnavailable();

async function withStore(test: (store: PostgresRunStore) => Promise<void>): Promise<void> {
  const store = await PostgresRunStore.open(DATABASE_URL, { schema: freshSchema() });
  try {
    await test(store);
  } finally {
    await store.close();
    await dropSchema(store.schema);
  }
}

describe.skipIf(unavailable !== undefined)(`PostgreSQL ${unavailable ?? ''}`, () => {
  describeRunStoreContract(
    'PostgresRunStore (a schema per test)',
    () => PostgresRunStore.open(DATABASE_URL, { schema: freshSchema() }),
    {
      dispose: async (store) => {
        await (store as PostgresRunStore).close();
        await dropSchema((store as PostgresRunStore).schema);
      },
    },
  );

  it('keeps runs across a reopen, at the schema version of the code; a newer schema is refused', async () => {
    await withStore(async (store) => {
      await store.save(sampleRunRecord('run_kept', { status: 'running' }));
      await store.append('run_kept', [{ type: 'step' }], { status: 'completed', endedAt: 2_000 });
      const again = await PostgresRunStore.open(DATABASE_URL, { schema: store.schema });
      expect((await again.load('run_kept'))?.summary).toMatchObject({ status: 'completed', endedAt: 2_000 });
      await again.close();
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      const version = await client.query(`SELECT version FROM "${store.schema}".schema_version`);
      expect(version.rows).toEqual([{ version: POSTGRES_SCHEMA_VERSION }]);
      await client.query(`UPDATE "${store.schema}".schema_version SET version = version + 1`);
      await client.end();
      await expect(PostgresRunStore.open(DATABASE_URL, { schema: store.schema })).rejects.toMatchObject({
        code: 'STORE_CORRUPT',
      });
    });
  });

  it('migrates a schema of version 1 to the current one, keeping its runs', async () => {
    const schema = freshSchema();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA "${schema}"; SET search_path TO "${schema}"`);
      await client.query(POSTGRES_MIGRATIONS[0] as string);
      await client.query(
        'CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1)',
      );
      await client.query('INSERT INTO runs (id, workflow_id, status, started_at, record) VALUES ($1, $2, $3, $4, $5)', [
        'run_old',
        'sales',
        'completed',
        1_000,
        JSON.stringify(sampleRunRecord('run_old')),
      ]);
      const store = await PostgresRunStore.open(DATABASE_URL, { schema });
      expect((await store.load('run_old'))?.record).toEqual(sampleRunRecord('run_old'));
      await store.close();
      expect((await client.query('SELECT version FROM schema_version')).rows).toEqual([
        { version: POSTGRES_SCHEMA_VERSION },
      ]);
      const indexes = await client.query('SELECT indexname FROM pg_indexes WHERE schemaname = $1', [schema]);
      expect(indexes.rows).toContainEqual({ indexname: 'runs_by_workflow_status' });
    } finally {
      await client.end();
      await dropSchema(schema);
    }
  });

  it('migrates once when several processes open a new schema at the same moment', async () => {
    const schema = freshSchema();
    const stores = await Promise.all(
      Array.from({ length: 5 }, () => PostgresRunStore.open(DATABASE_URL, { schema, maxConnections: 2 })),
    );
    await stores[0]?.save(sampleRunRecord('run_one'));
    expect((await stores[4]?.list())?.runs.map((r) => r.id)).toEqual(['run_one']);
    await Promise.all(stores.map((s) => s.close()));
    await dropSchema(schema);
  });

  it('keeps events by seq, ignores one it has, reads after a seq, and drops them with the run', async () => {
    await withStore(async (store) => {
      const event = (seq: number): RunEvent => ({
        type: 'step.started',
        runId: 'run_e',
        seq,
        ts: seq,
        stepId: 'load',
        attempt: 1,
      });
      await expect(store.appendEvents('run_e', [event(0)])).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
      await store.save(sampleRunRecord('run_e'));
      await store.appendEvents('run_e', [event(0), event(1), event(2)]);
      await store.appendEvents('run_e', [event(2), event(3)]);
      expect((await store.readEvents('run_e')).map((e) => e.seq)).toEqual([0, 1, 2, 3]);
      expect(await store.readEvents('run_e', { after: 1, limit: 1 })).toEqual([event(2)]);
      await store.delete('run_e');
      expect(await store.readEvents('run_e')).toEqual([]);
    });
  });

  it('applies concurrent appends to one run in turn: every entry kept, the last update wins', async () => {
    await withStore(async (store) => {
      await store.save(sampleRunRecord('run_busy', { status: 'running' }));
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.append('run_busy', [{ type: 'note', i }], { owner: { pid: i, host: 'h', heartbeatAt: i } }),
        ),
      );
      const stored = await store.load('run_busy');
      expect(stored?.journal).toHaveLength(20);
      expect(stored?.summary.owner?.host).toBe('h');
    });
  });

  describe("after the writer's machine restarted", () => {
    const entry = (id: string) => ({ type: 'step' as const, step: { id, status: 'completed' as const, attempts: 1 } });
    /** What a restart does to the rows: the boot that wrote them is no longer the current one. */
    const restart = async (schema: string) => {
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`UPDATE "${schema}".journal SET boot = 'an-earlier-boot' WHERE boot IS NOT NULL`);
      await client.end();
    };
    const ids = async (store: PostgresRunStore, runId: string) =>
      (await store.load(runId))?.journal.map((e) => (e as { step?: { id: string } }).step?.id ?? e.type);

    it('counts an entry committed without waiting for the disk only once flushed, or in the boot that wrote it', async () => {
      await withStore(async (store) => {
        await store.save(sampleRunRecord('run_boot', { status: 'running' }));
        await store.append('run_boot', [entry('durable')]);
        await store.append('run_boot', [entry('flushed')], undefined, { durable: false });
        let release = () => {};
        const after = new Promise<void>((done) => {
          release = done;
        });
        const flushing = store.flush('run_boot', { after, update: { owner: { pid: 1, host: 'h', heartbeatAt: 5 } } });
        // appended while the flush waits for its values: not covered by it
        await store.append('run_boot', [entry('later')], undefined, { durable: false });
        release();
        await flushing;
        expect(await ids(store, 'run_boot')).toEqual(['durable', 'flushed', 'later']);
        expect((await store.load('run_boot'))?.summary.owner).toEqual({ pid: 1, host: 'h', heartbeatAt: 5 });
        await restart(store.schema);
        expect(await ids(store, 'run_boot')).toEqual(['durable', 'flushed']);
      });
    });

    it('forgets what a flush covered when the run is saved again', async () => {
      await withStore(async (store) => {
        await store.save(sampleRunRecord('run_resaved', { status: 'running' }));
        await store.append('run_resaved', [entry('a'), entry('b'), entry('c')], undefined, { durable: false });
        await store.flush('run_resaved');
        await store.save(sampleRunRecord('run_resaved', { status: 'running' }));
        await store.append('run_resaved', [entry('new')], undefined, { durable: false });
        await restart(store.schema);
        expect(await ids(store, 'run_resaved')).toEqual([]);
      });
    });
  });

  it('appends at once, from several callers together, every entry kept and each step row at its latest state', async () => {
    await withStore(async (store) => {
      await store.save(sampleRunRecord('run_fast', { status: 'running' }));
      const step = (i: number, status: 'running' | 'completed') => ({
        type: 'step' as const,
        step: { id: `s${i}`, status, attempts: 1, ...(status === 'completed' ? { output: `ref_out${i}` } : {}) },
      });
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          await store.append('run_fast', [step(i, 'running')], undefined, { durable: false });
          await store.append('run_fast', [step(i, 'completed')], undefined, { durable: false });
        }),
      );
      expect((await store.load('run_fast'))?.journal).toHaveLength(40);
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      const rows = await client.query(
        `SELECT step_id, status, output FROM "${store.schema}".steps WHERE run_id = $1 AND step_id LIKE 's%'`,
        ['run_fast'],
      );
      await client.end();
      expect(rows.rows).toHaveLength(20);
      for (const row of rows.rows)
        expect(row).toEqual({ ...row, status: 'completed', output: `ref_out${row.step_id.slice(1)}` });
      await expect(
        store.append('run_never', [step(0, 'running')], undefined, { durable: false }),
      ).rejects.toMatchObject({ code: 'RUN_NOT_FOUND' });
    });
  });
});
