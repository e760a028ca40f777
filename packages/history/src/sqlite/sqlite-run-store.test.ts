import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '@stepwise/core';
import { describeRunStoreContract, sampleRunRecord } from '@stepwise/core/testing';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteRunStore } from './sqlite-run-store.js';
import { SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from './sqlite-schema.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshFile = () => join(root, `h${++n}`, 'history.db');

describeRunStoreContract('SqliteRunStore (a file)', () => new SqliteRunStore(freshFile()), {
  dispose: (store) => (store as SqliteRunStore).close(),
});

describe('SqliteRunStore', () => {
  it('keeps runs across a close and a reopen, in WAL mode, at the schema version of the code', () => {
    const file = freshFile();
    const first = new SqliteRunStore(file);
    first.save(sampleRunRecord('run_kept', { status: 'running' }));
    first.append('run_kept', [{ type: 'step', step: { id: 'load', status: 'completed', attempts: 1 } }], {
      status: 'completed',
      endedAt: 2_000,
    });
    first.close();
    const again = new SqliteRunStore(file);
    expect(again.load('run_kept')?.summary).toMatchObject({ status: 'completed', endedAt: 2_000 });
    expect(again.load('run_kept')?.journal).toHaveLength(1);
    again.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    db.close();
  });

  it('migrates a file of schema version 1 to the current one, keeping its runs', () => {
    const file = join(root, `old${++n}.db`);
    const old = new Database(file);
    old.exec(SQLITE_MIGRATIONS[0] as string);
    old.pragma('user_version = 1');
    old
      .prepare('INSERT INTO runs (id, workflow_id, status, started_at, record) VALUES (?, ?, ?, ?, ?)')
      .run('run_old', 'sales', 'completed', 1_000, JSON.stringify(sampleRunRecord('run_old')));
    old.close();
    const store = new SqliteRunStore(file);
    expect(store.load('run_old')?.record).toEqual(sampleRunRecord('run_old'));
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    expect(SQLITE_SCHEMA_VERSION).toBeGreaterThan(1);
    const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs'").all();
    expect(indexes).toContainEqual({ name: 'runs_by_workflow_status' });
    db.close();
  });

  it('refuses a file written by a newer schema with STORE_CORRUPT, and leaves it alone', () => {
    const file = freshFile();
    new SqliteRunStore(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => new SqliteRunStore(file)).toThrow(
      expect.objectContaining({ code: 'STORE_CORRUPT', message: expect.stringContaining('Upgrade Stepwise') }),
    );
  });

  it('keeps each step’s latest state in the steps table, in workflow order', () => {
    const store = new SqliteRunStore(freshFile());
    store.save(
      sampleRunRecord('run_s', {
        status: 'running',
        steps: [
          { id: 'load', status: 'pending', attempts: 0 },
          { id: 'sum', status: 'pending', attempts: 0 },
        ],
      }),
    );
    store.append('run_s', [
      { type: 'step', step: { id: 'sum', status: 'running', attempts: 1, startedAt: 5 } },
      {
        type: 'step',
        step: { id: 'load', status: 'completed', attempts: 2, startedAt: 1, endedAt: 4, output: 'ref_x' },
      },
    ]);
    expect(store.steps('run_s')).toEqual([
      { id: 'load', status: 'completed', attempts: 2, startedAt: 1, endedAt: 4, output: 'ref_x' },
      { id: 'sum', status: 'running', attempts: 1, startedAt: 5 },
    ]);
    store.close();
  });

  it('keeps events by seq, ignores one it has, reads after a seq, and drops them with the run', () => {
    const store = new SqliteRunStore(freshFile());
    const event = (seq: number): RunEvent => ({
      type: 'step.started',
      runId: 'run_e',
      seq,
      ts: seq,
      stepId: 'load',
      attempt: 1,
    });
    expect(() => store.appendEvents('run_e', [event(0)])).toThrow(expect.objectContaining({ code: 'RUN_NOT_FOUND' }));
    store.save(sampleRunRecord('run_e'));
    store.appendEvents('run_e', [event(0), event(1), event(2)]);
    store.appendEvents('run_e', [event(2), event(3)]);
    expect(store.readEvents('run_e').map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    expect(store.readEvents('run_e', { after: 1, limit: 1 })).toEqual([event(2)]);
    store.save(sampleRunRecord('run_e', { status: 'completed' }));
    expect(store.readEvents('run_e')).toHaveLength(4);
    expect(() => store.appendEvents('run_e', [{ ...event(9), seq: -1 }])).toThrow(
      expect.objectContaining({ code: 'RUN_RECORD_INVALID' }),
    );
    expect(() => store.readEvents('run_e', { limit: 0 })).toThrow(expect.objectContaining({ code: 'FIELD_INVALID' }));
    store.delete('run_e');
    expect(store.readEvents('run_e')).toEqual([]);
    store.close();
  });
});

describe('SqliteRunStore after an OS restart', () => {
  const entry = (id: string) => ({ type: 'step' as const, step: { id, status: 'completed' as const, attempts: 1 } });
  /** What a restart does to the rows: the boot that wrote them is no longer the current one. */
  const restart = (file: string) => {
    const db = new Database(file);
    db.prepare("UPDATE journal SET boot = 'an-earlier-boot' WHERE boot IS NOT NULL").run();
    db.close();
  };
  const ids = (store: SqliteRunStore, runId: string) =>
    store.load(runId)?.journal.map((e) => (e as { step?: { id: string } }).step?.id ?? e.type);

  it('counts an entry appended without waiting for the disk only once flushed, or in the boot that wrote it', async () => {
    const file = freshFile();
    const store = new SqliteRunStore(file);
    store.save(sampleRunRecord('run_boot', { status: 'running' }));
    store.append('run_boot', [entry('durable')]);
    store.append('run_boot', [entry('flushed')], undefined, { durable: false });
    let release = () => {};
    const after = new Promise<void>((done) => {
      release = done;
    });
    const flushing = store.flush('run_boot', { after });
    // appended while the flush waits for its values: not covered by it
    store.append('run_boot', [entry('later')], undefined, { durable: false });
    release();
    await flushing;
    expect(ids(store, 'run_boot')).toEqual(['durable', 'flushed', 'later']);
    store.close();
    restart(file);
    const again = new SqliteRunStore(file);
    expect(ids(again, 'run_boot')).toEqual(['durable', 'flushed']);
    again.close();
  });

  it('forgets what a flush covered when the run is saved again', async () => {
    const file = freshFile();
    const store = new SqliteRunStore(file);
    store.save(sampleRunRecord('run_resaved', { status: 'running' }));
    store.append('run_resaved', [entry('a'), entry('b'), entry('c')], undefined, { durable: false });
    await store.flush('run_resaved');
    store.save(sampleRunRecord('run_resaved', { status: 'running' }));
    store.append('run_resaved', [entry('new')], undefined, { durable: false });
    store.close();
    restart(file);
    const again = new SqliteRunStore(file);
    expect(ids(again, 'run_resaved')).toEqual([]);
    again.close();
  });
});
