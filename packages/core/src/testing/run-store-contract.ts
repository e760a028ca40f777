import { describe, expect } from 'vitest';
import { newRef } from '../context/ref.js';
import type { RunStore } from '../context/run-store.js';
import type { MaybePromise } from '../maybe-promise.js';
import { DOCUMENT_FORMAT, DOCUMENT_VERSION } from '../model/document.js';
import { RUN_RECORD_FORMAT, type RunRecord } from '../model/run.js';
import type { StepState } from '../model/step-state.js';
import { BAD_RUN_IDS, type ContractOptions, codeOf, contractTests } from './contract-kit.js';

/** A small, valid {@link RunRecord} of workflow `workflowId` (default `sales`), with `fields` over it. */
export function sampleRunRecord(id: string, fields: Partial<RunRecord> = {}): RunRecord {
  const workflowId = fields.workflowId ?? 'sales';
  return {
    format: RUN_RECORD_FORMAT,
    version: 1,
    id,
    workflowId,
    status: 'completed',
    startedAt: 1_000,
    inputs: {},
    outputs: {},
    seq: 0,
    steps: [{ id: 'load', status: 'completed', attempts: 1 }],
    workflow: {
      format: DOCUMENT_FORMAT,
      version: DOCUMENT_VERSION,
      id: workflowId,
      name: workflowId,
      description: '',
      inputs: {},
      steps: [],
      outputs: {},
    },
    ...fields,
  };
}

const ids = (page: { runs: { id: string }[] }) => page.runs.map((run) => run.id);

/**
 * Registers the tests every {@link RunStore} passes: records kept as copies and replaced by each
 * save, the journal appended after a record and cleared by the next save, summaries updated by
 * appends (status, end, owner heartbeat), listings newest first with filters and cursor paging,
 * and `RUN_ID_INVALID` / `RUN_RECORD_INVALID` / `RUN_NOT_FOUND` / `FIELD_INVALID` where they
 * belong. `make` answers a fresh, empty run store per test.
 * @example describeRunStoreContract('SqliteRunStore', () => new SqliteRunStore(':memory:'), { dispose: (s) => s.close() })
 */
export function describeRunStoreContract(
  name: string,
  make: () => MaybePromise<RunStore>,
  options: ContractOptions<RunStore> = {},
): void {
  describe(`${name}: run store contract`, () => {
    const { test, done } = contractTests(make, options);

    test('runs: keeps a copy of the saved record, replaced by the next save', async (runs) => {
      expect(await runs.load('run_none')).toBeUndefined();
      const output = newRef();
      const record = sampleRunRecord('run_sales-1', { status: 'running', outputs: { result: output } });
      await runs.save(record);
      record.workflowId = 'mutated later';
      const loaded = await runs.load('run_sales-1');
      expect(loaded?.record).toEqual(
        sampleRunRecord('run_sales-1', { status: 'running', outputs: { result: output } }),
      );
      expect(loaded?.journal).toEqual([]);
      expect(loaded?.summary).toEqual({ id: 'run_sales-1', workflowId: 'sales', status: 'running', startedAt: 1_000 });
      if (loaded) loaded.record.workflowId = 'mutated copy';
      expect((await runs.load('run_sales-1'))?.record.workflowId).toBe('sales');
      await runs.save(sampleRunRecord('run_sales-1', { status: 'completed', endedAt: 2_000 }));
      expect((await runs.load('run_sales-1'))?.summary).toMatchObject({ status: 'completed', endedAt: 2_000 });
    });

    test('runs: appends journal entries after the record and applies updates to the summary; a save clears them', async (runs) => {
      await runs.save(sampleRunRecord('run_j', { status: 'running' }));
      const owner = { pid: 4242, host: 'box', heartbeatAt: 1_500 };
      await runs.append('run_j', [{ type: 'step', stepId: 'load', status: 'running' }], { owner });
      await runs.append('run_j', [{ type: 'step', stepId: 'load', status: 'completed', output: newRef() }]);
      await runs.append('run_j', [], { owner: { ...owner, heartbeatAt: 1_900 } });
      await runs.append('run_j', [{ type: 'run', status: 'failed' }], {
        status: 'failed',
        endedAt: 2_000,
        owner: null,
      });
      const stored = await runs.load('run_j');
      expect(stored?.journal.map((entry) => [entry.type, entry.status])).toEqual([
        ['step', 'running'],
        ['step', 'completed'],
        ['run', 'failed'],
      ]);
      expect(stored?.summary).toEqual({
        id: 'run_j',
        workflowId: 'sales',
        status: 'failed',
        startedAt: 1_000,
        endedAt: 2_000,
      });
      expect(stored?.record.status).toBe('running');
      await runs.save(sampleRunRecord('run_j', { status: 'failed', endedAt: 2_000 }));
      expect((await runs.load('run_j'))?.journal).toEqual([]);
    });

    test('runs: keeps copies of journal entries: a change to an entry after the append does not reach the store', async (runs) => {
      await runs.save(sampleRunRecord('run_c', { status: 'running' }));
      const step = { id: 'load', status: 'running', attempts: 1 };
      await runs.append('run_c', [{ type: 'step', step }]);
      step.status = 'completed';
      const stored = await runs.load('run_c');
      expect(stored?.journal).toEqual([{ type: 'step', step: { id: 'load', status: 'running', attempts: 1 } }]);
      (stored?.journal[0]?.step as { status: string }).status = 'changed in the copy';
      expect((await runs.load('run_c'))?.journal[0]?.step).toMatchObject({ status: 'running' });
    });

    test('runs: an append that need not be durable yet reads back at once; a flush keeps it, once `after` resolved', async (runs) => {
      await runs.save(sampleRunRecord('run_f', { status: 'running' }));
      await runs.append('run_f', [{ type: 'step', stepId: 'load', status: 'running' }], undefined, { durable: false });
      expect((await runs.load('run_f'))?.journal.map((entry) => entry.status)).toEqual(['running']);
      if (runs.flush === undefined) return;
      let waited = false;
      const after = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        waited = true;
      });
      await runs.flush('run_f', { after, update: { owner: { pid: 1, host: 'a', heartbeatAt: 30 } } });
      expect(waited).toBe(true);
      const stored = await runs.load('run_f');
      expect(stored?.journal.map((entry) => entry.status)).toEqual(['running']);
      expect(stored?.summary.owner).toEqual({ pid: 1, host: 'a', heartbeatAt: 30 });
      await expect(
        Promise.resolve(runs.flush('run_f', { after: Promise.reject(new Error('no disk')) })),
      ).rejects.toThrow('no disk');
    });

    test('runs: a heartbeat is an update of the owner, shown by load and list', async (runs) => {
      await runs.save(sampleRunRecord('run_h', { status: 'running', owner: { pid: 1, host: 'a', heartbeatAt: 10 } }));
      expect((await runs.load('run_h'))?.summary.owner).toEqual({ pid: 1, host: 'a', heartbeatAt: 10 });
      await runs.append('run_h', [], { owner: { pid: 1, host: 'a', heartbeatAt: 20 } });
      expect((await runs.list()).runs[0]?.owner).toEqual({ pid: 1, host: 'a', heartbeatAt: 20 });
      await runs.append('run_h', [], { status: 'interrupted' });
      expect((await runs.list({ status: ['interrupted'] })).runs.map((run) => run.id)).toEqual(['run_h']);
    });

    test('runs: refuses to append to a run never saved, with RUN_NOT_FOUND', async (runs) => {
      expect(await codeOf(() => runs.append('run_ghost', [{ type: 'step' }]))).toBe('RUN_NOT_FOUND');
      expect(await runs.load('run_ghost')).toBeUndefined();
    });

    test('runs: lists newest first, filtered by workflow, status and start time', async (runs) => {
      const made: [string, string, StepState, number][] = [
        ['run_a', 'sales', 'completed', 1_000],
        ['run_b', 'sales', 'failed', 3_000],
        ['run_c', 'orders', 'completed', 2_000],
        ['run_d', 'sales', 'running', 2_000],
      ];
      for (const [id, workflowId, status, startedAt] of made)
        await runs.save(sampleRunRecord(id, { workflowId, status, startedAt }));
      expect(ids(await runs.list())).toEqual(['run_b', 'run_d', 'run_c', 'run_a']);
      expect(ids(await runs.list({ workflowId: 'sales' }))).toEqual(['run_b', 'run_d', 'run_a']);
      expect(ids(await runs.list({ status: ['completed', 'running'] }))).toEqual(['run_d', 'run_c', 'run_a']);
      expect(ids(await runs.list({ startedFrom: 2_000, startedBefore: 3_000 }))).toEqual(['run_d', 'run_c']);
      expect(ids(await runs.list({ workflowId: 'nothing' }))).toEqual([]);
      expect((await runs.list()).runs[0]).toEqual({
        id: 'run_b',
        workflowId: 'sales',
        status: 'failed',
        startedAt: 3_000,
      });
    });

    test('runs: pages with a cursor, each run exactly once, and the last page has no next', async (runs) => {
      const all = Array.from({ length: 23 }, (_, i) => `run_${String(i).padStart(2, '0')}`);
      // pairs share a start time, so the order within a time is by id
      for (const [i, id] of all.entries())
        await runs.save(sampleRunRecord(id, { startedAt: 1_000 + Math.floor(i / 2) }));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await runs.list({ limit: 5, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...ids(page));
        cursor = page.next;
        pages += 1;
      } while (cursor !== undefined && pages < 10);
      expect(pages).toBe(5);
      expect(seen).toEqual([...all].reverse());
      const filtered = await runs.list({ limit: 2, status: ['completed'], startedFrom: 1_010 });
      expect(ids(filtered)).toEqual(['run_22', 'run_21']);
      expect(
        ids(
          await runs.list({
            limit: 2,
            status: ['completed'],
            startedFrom: 1_010,
            ...(filtered.next ? { cursor: filtered.next } : {}),
          }),
        ),
      ).toEqual(['run_20']);
    });

    test('runs: refuses a malformed query or cursor with FIELD_INVALID', async (runs) => {
      for (const query of [
        { limit: 0 },
        { limit: 1001 },
        { limit: 2.5 },
        { cursor: 'not a cursor' },
        { cursor: Buffer.from('[1,"../x"]').toString('base64url') },
        { startedFrom: Number.NaN },
        { status: 'completed' },
      ])
        expect(await codeOf(() => runs.list(query as never)), JSON.stringify(query)).toBe('FIELD_INVALID');
    });

    test('runs: deletes a run with its journal', async (runs) => {
      for (const id of ['run_b', 'run_a', 'run_c']) await runs.save(sampleRunRecord(id));
      await runs.append('run_b', [{ type: 'step' }]);
      expect(await runs.delete('run_b')).toBe(true);
      expect(await runs.delete('run_b')).toBe(false);
      expect(await runs.load('run_b')).toBeUndefined();
      expect(ids(await runs.list()).sort()).toEqual(['run_a', 'run_c']);
      await runs.save(sampleRunRecord('run_b'));
      expect((await runs.load('run_b'))?.journal).toEqual([]);
    });

    test('runs: rejects bad run ids with RUN_ID_INVALID and bad records or entries with RUN_RECORD_INVALID', async (runs) => {
      for (const bad of BAD_RUN_IDS) {
        const id = bad as string;
        for (const call of [
          () => runs.save(sampleRunRecord(id)),
          () => runs.load(id),
          () => runs.delete(id),
          () => runs.append(id, []),
        ])
          expect(await codeOf(call), `${String(call)} with ${JSON.stringify(bad)}`).toBe('RUN_ID_INVALID');
      }
      const cyclic: Record<string, unknown> = {};
      cyclic.self = cyclic;
      for (const fields of [
        { inputs: cyclic },
        { seq: 1n },
        { status: 'sleeping' },
        { startedAt: Number.NaN },
        { workflowId: 3 },
      ])
        expect(
          await codeOf(() => runs.save(sampleRunRecord('run_x', fields as never))),
          JSON.stringify(Object.keys(fields)),
        ).toBe('RUN_RECORD_INVALID');
      expect(await runs.load('run_x')).toBeUndefined();
      await runs.save(sampleRunRecord('run_x'));
      for (const [entries, update] of [
        [[{ note: 'no type' }], undefined],
        [[{ type: 'step', n: 1n }], undefined],
        [[], { status: 'sleeping' }],
        [[], { owner: { pid: 'one' } }],
      ] as const)
        expect(await codeOf(() => runs.append('run_x', entries as never, update as never))).toBe('RUN_RECORD_INVALID');
      expect((await runs.load('run_x'))?.journal).toEqual([]);
    });

    done();
  });
}
