// A file store's journal lines appended without waiting for the disk (`durable: false`) count for
// every reader until the machine restarts; after a restart, only those a flush put on disk (with the
// values they name) count, so an OS crash never leaves a journal that names a value it lost. Another
// boot is simulated by rewriting the boot ids in the journal (same length: the flush's byte offset holds).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunJournalEntry, StepJournalEntry } from '../../model/run.js';
import { sampleRunRecord } from '../../testing/index.js';
import { bootId } from './boot-id.js';
import { FileRunStore } from './file-runs.js';

const root = mkdtempSync(join(tmpdir(), 'stepwise-journal-restart-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const completed = (id: string): RunJournalEntry => ({
  type: 'step',
  step: { id, status: 'completed', attempts: 1, output: `ref_${id.padEnd(16, 'x')}` },
});

/** A store with run `run_r` saved, and the path of its journal. */
function storeWithRun(): { runs: FileRunStore; journal: string } {
  const runs = new FileRunStore(mkdtempSync(join(root, 'runs-')));
  runs.save(sampleRunRecord('run_r', { status: 'running', steps: [] }));
  return { runs, journal: join(runs.dir, 'run_r.journal') };
}

/** Rewrites the journal as if the machine had restarted since it was written. */
function restart(journal: string): void {
  const here = bootId();
  writeFileSync(journal, readFileSync(journal, 'utf8').replaceAll(here, 'x'.repeat(here.length)));
}

/** The step id of a step entry, else its type. */
const idOf = (entry: RunJournalEntry) => (entry.type === 'step' ? (entry as StepJournalEntry).step.id : entry.type);
const stepIds = (runs: FileRunStore) => runs.load('run_r')?.journal.map(idOf);

describe('a file journal appended without waiting for the disk', () => {
  it('is read back at once, by this process and any other of this boot', async () => {
    const { runs } = storeWithRun();
    runs.append('run_r', [completed('a')], undefined, { durable: false });
    expect(stepIds(runs)).toEqual(['a']);
    expect(stepIds(new FileRunStore(runs.dir))).toEqual(['a']);
    await runs.flush('run_r');
    runs.append('run_r', [completed('b')], undefined, { durable: false });
    expect(stepIds(new FileRunStore(runs.dir))).toEqual(['a', 'b']);
  });

  it('after a restart, counts only the lines flushed before it, and the durable appends', async () => {
    const { runs, journal } = storeWithRun();
    runs.append('run_r', [completed('a')], undefined, { durable: false });
    runs.append('run_r', [completed('b')], undefined, { durable: false });
    await runs.flush('run_r', { update: { owner: { pid: 1, host: 'h', heartbeatAt: 5 } } });
    runs.append('run_r', [completed('c')], undefined, { durable: false });
    runs.append('run_r', [completed('d')]);
    runs.append('run_r', [completed('e')], undefined, { durable: false });
    restart(journal);
    const stored = new FileRunStore(runs.dir).load('run_r');
    expect(stored?.journal.map(idOf)).toEqual(['a', 'b', 'd']);
    expect(stored?.summary.owner).toEqual({ pid: 1, host: 'h', heartbeatAt: 5 });
  });

  it('flushes only what was appended before the flush was called, once `after` resolved', async () => {
    const { runs, journal } = storeWithRun();
    runs.append('run_r', [completed('a')], undefined, { durable: false });
    let release = () => {};
    const after = new Promise<void>((resolve) => {
      release = resolve;
    });
    const flushed = runs.flush('run_r', { after });
    // appended while the values of `a` are being flushed: its own values are not covered
    runs.append('run_r', [completed('b')], undefined, { durable: false });
    const before = readFileSync(journal, 'utf8');
    release();
    await flushed;
    expect(readFileSync(journal, 'utf8').startsWith(before)).toBe(true);
    restart(journal);
    expect(stepIds(runs)).toEqual(['a']);
  });

  it('flushes nothing when `after` rejects, and answers its rejection', async () => {
    const { runs, journal } = storeWithRun();
    runs.append('run_r', [completed('a')], undefined, { durable: false });
    await expect(runs.flush('run_r', { after: Promise.reject(new Error('disk gone')) })).rejects.toThrow('disk gone');
    restart(journal);
    expect(stepIds(runs)).toEqual([]);
  });

  it('writes no flush into a journal that a save replaced meanwhile (the record holds it all)', async () => {
    const { runs, journal } = storeWithRun();
    runs.append('run_r', [completed('a')], undefined, { durable: false });
    let release = () => {};
    const flushed = runs.flush('run_r', {
      after: new Promise<void>((resolve) => {
        release = resolve;
      }),
    });
    runs.save(sampleRunRecord('run_r', { status: 'running', steps: [] }));
    runs.append('run_r', [completed('b')], undefined, { durable: false });
    runs.append('run_r', [completed('c')], undefined, { durable: false });
    release();
    await flushed;
    restart(journal);
    expect(stepIds(runs)).toEqual([]);
  });
});
