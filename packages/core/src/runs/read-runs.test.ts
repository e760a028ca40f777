import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { MemoryRunStore } from '../context/memory/memory-runs.js';
import { newRef } from '../context/ref.js';
import type { RunOwner } from '../model/run.js';
import { sampleRunRecord } from '../testing/run-store-contract.js';
import { foldRun, seqEntry, stepEntry } from './journal.js';
import { claimLocalRun, liveStatus, OWNER_STALE_MS, releaseLocalRun } from './owner.js';
import { listRuns, loadRun } from './read-runs.js';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid as number;
}

const host = hostname();
const now = 1_000_000;
const owner = (fields: Partial<RunOwner>): RunOwner => ({ pid: process.ppid, host, heartbeatAt: now, ...fields });

describe('foldRun', () => {
  it('applies the journal over the record: steps in workflow order, missing ones pending, the latest seq, the summary', () => {
    const workflow = sampleRunRecord('run_f').workflow;
    workflow.steps = ['a', 'b', 'c'].map((id) => ({ id, type: 't', config: {} }));
    const output = newRef();
    const record = foldRun({
      record: sampleRunRecord('run_f', { status: 'running', steps: [], workflow, seq: 2 }),
      journal: [
        stepEntry({ id: 'b', status: 'running', attempts: 1 }),
        seqEntry(7),
        stepEntry({ id: 'a', status: 'completed', attempts: 1, output }),
        stepEntry({ id: 'b', status: 'failed', attempts: 2 }),
        { type: 'later-kind', x: 1 },
        { type: 'step', step: 'not a step' },
      ],
      summary: { id: 'run_f', workflowId: 'sales', status: 'failed', startedAt: 1, endedAt: 9 },
    });
    expect(record.steps).toEqual([
      { id: 'a', status: 'completed', attempts: 1, output },
      { id: 'b', status: 'failed', attempts: 2 },
      { id: 'c', status: 'pending', attempts: 0 },
    ]);
    expect(record).toMatchObject({ seq: 7, status: 'failed', endedAt: 9 });
    expect(record).not.toHaveProperty('owner');
  });

  it('leaves out a step entry that is not a whole step state (a torn or edited journal), keeping the state before it', () => {
    const workflow = sampleRunRecord('run_m').workflow;
    workflow.steps = ['a', 'b', 'c'].map((id) => ({ id, type: 't', config: {} }));
    const output = newRef();
    const before = { id: 'a', status: 'completed' as const, attempts: 1, output };
    const record = foldRun({
      record: sampleRunRecord('run_m', { status: 'running', steps: [before], workflow }),
      journal: [
        { type: 'step', step: { id: 'a', status: 'completed', attempts: 1, output: 42 } },
        { type: 'step', step: { id: 'b', status: 'done', attempts: 1 } },
        { type: 'step', step: { id: 'c', status: 'running' } },
        { type: 'step', step: { id: 'c', status: 'failed', attempts: 1, error: 'boom' } },
      ],
      summary: { id: 'run_m', workflowId: 'sales', status: 'running', startedAt: 1 },
    });
    expect(record.steps).toEqual([
      before,
      { id: 'b', status: 'pending', attempts: 0 },
      { id: 'c', status: 'pending', attempts: 0 },
    ]);
  });
});

describe('liveStatus', () => {
  const status = (fields: Partial<RunOwner> | undefined, stored = 'running' as const) =>
    liveStatus({ id: 'run_x', status: stored, ...(fields ? { owner: owner(fields) } : {}) }, { now });

  it('is interrupted when the owner process on this host is gone', () => {
    expect(status({ pid: deadPid() })).toBe('interrupted');
  });

  it('is running while the owner on this host lives and its heartbeat is fresh; interrupted once it is stale', () => {
    expect(status({})).toBe('running');
    expect(status({ heartbeatAt: now - OWNER_STALE_MS - 1 })).toBe('interrupted');
  });

  it('on another host, goes by the heartbeat alone', () => {
    expect(status({ host: `${host}-elsewhere`, pid: deadPid() })).toBe('running');
    expect(status({ host: `${host}-elsewhere`, heartbeatAt: now - OWNER_STALE_MS - 1 })).toBe('interrupted');
  });

  it('in this process, is running only while a runner here executes it', () => {
    expect(status({ pid: process.pid })).toBe('interrupted');
    claimLocalRun('run_x');
    try {
      expect(status({ pid: process.pid })).toBe('running');
    } finally {
      releaseLocalRun('run_x');
    }
  });

  it('without an owner, a running run is interrupted; a finished one keeps its status', () => {
    expect(status(undefined)).toBe('interrupted');
    expect(status({ pid: deadPid() }, 'completed' as never)).toBe('completed');
  });
});

describe('listRuns and loadRun', () => {
  it('show interrupted runs, and filter on them', async () => {
    const runs = new MemoryRunStore();
    runs.save(sampleRunRecord('run_done', { startedAt: 1 }));
    runs.save(sampleRunRecord('run_dead', { status: 'running', startedAt: 2, owner: owner({ pid: deadPid() }) }));
    runs.save(
      sampleRunRecord('run_live', { status: 'running', startedAt: 3, owner: owner({ heartbeatAt: Date.now() }) }),
    );
    const all = await listRuns(runs);
    expect(all.runs.map((run) => [run.id, run.status])).toEqual([
      ['run_live', 'running'],
      ['run_dead', 'interrupted'],
      ['run_done', 'completed'],
    ]);
    expect((await listRuns(runs, { status: ['interrupted'] })).runs.map((run) => run.id)).toEqual(['run_dead']);
    expect((await listRuns(runs, { status: ['running'] })).runs.map((run) => run.id)).toEqual(['run_live']);
    expect((await loadRun(runs, 'run_dead'))?.status).toBe('interrupted');
    expect(await loadRun(runs, 'run_none')).toBeUndefined();
  });
});
