// The commit order of a durable run: a run record or journal entry that names a value is written only
// after the value store made that value durable (`sync`), also while steps keep completing during a
// flush that takes its time, and a cache entry likewise. On a run store that appends at once (one with
// `flush`), an entry is appended only once the values it names are written, and made durable only once
// they are durable.
import { describe, expect, it } from 'vitest';
import { MemoryCacheIndex } from '../context/memory/memory-cache.js';
import { MemoryRunStore } from '../context/memory/memory-runs.js';
import { MemoryValueStore } from '../context/memory/memory-values.js';
import { isRef } from '../context/ref.js';
import { RuntimeContext } from '../context/runtime-context.js';
import type { Store } from '../context/store.js';
import type { ValueMeta } from '../context/value-store.js';
import type { RunJournalEntry, RunRecord } from '../model/run.js';
import { StepRegistry } from '../registry/step-registry.js';
import { jsonStep, type StepSpec, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

/** Memory values whose writes become durable only by `sync`, which takes a few milliseconds, as a disk would. */
class DeferredValues extends MemoryValueStore {
  readonly unsynced = new Set<string>();
  readonly durable = new Set<string>();
  syncs = 0;

  override write(ref: string, value: unknown, meta: ValueMeta): void {
    super.write(ref, value, meta);
    this.unsynced.add(ref);
  }

  /** Like a file store's: also waits for a flush in flight, which may hold values the caller names. */
  sync(): Promise<void> | undefined {
    if (this.unsynced.size === 0) return this.#flushing;
    const batch = [...this.unsynced];
    this.unsynced.clear();
    this.syncs += 1;
    const before = this.#flushing;
    const flushing = new Promise<void>((resolve) =>
      setTimeout(() => {
        for (const ref of batch) this.durable.add(ref);
        resolve(before);
      }, 5),
    );
    this.#flushing = flushing;
    void flushing.then(() => {
      if (this.#flushing === flushing) this.#flushing = undefined;
    });
    return flushing;
  }

  #flushing: Promise<void> | undefined;
}

/** Every ref a written record or entry names (step outputs, workflow inputs, run outputs). */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string' && isRef(value)) found.push(value);
  else if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) refsIn(item, found);
  return found;
}

/**
 * A store that notes, at each record, entry or cache write, every named ref not durable by then. With
 * `flush`, its run store appends at once: each entry must name written refs, and each flush, when it
 * makes the entries appended before it durable, refs durable by then.
 */
function recordingStore({ flush = false } = {}) {
  const values = new DeferredValues();
  const runs = new MemoryRunStore();
  const cache = new MemoryCacheIndex();
  const early: string[] = [];
  let writes = 0;
  const check = (what: string, value: unknown) => {
    writes += 1;
    for (const ref of refsIn(value))
      if (!values.durable.has(ref)) early.push(`${what} names ${ref} before it is durable`);
  };
  /** The entries appended with `durable: false`, not made durable by a flush yet. */
  const appended: RunJournalEntry[][] = [];
  let flushes = 0;
  const store: Store = {
    values,
    cache: {
      get: (key) => cache.get(key),
      set: (key, ref) => {
        check('cache entry', ref);
        cache.set(key, ref);
      },
      keys: () => cache.keys(),
      delete: (key) => cache.delete(key),
    },
    runs: {
      save: (record: RunRecord) => {
        check('record', record);
        runs.save(record);
      },
      append: (runId: string, entries: readonly RunJournalEntry[], update, options) => {
        if (options?.durable === false && flush) {
          for (const ref of refsIn(entries))
            if (!values.has(ref)) early.push(`journal entry names ${ref} before it is written`);
          appended.push(JSON.parse(JSON.stringify(entries)) as RunJournalEntry[]);
        } else check('journal entry', entries);
        runs.append(runId, entries, update);
      },
      load: (runId) => runs.load(runId),
      list: (query) => runs.list(query),
      delete: (runId) => runs.delete(runId),
    },
  };
  if (flush)
    store.runs.flush = (_runId, options) => {
      // the entries appended before the call: durable once `after` resolved
      const taken = appended.splice(0);
      return Promise.resolve(options?.after).then(() => {
        flushes += 1;
        for (const entries of taken) check('flushed journal entry', entries);
      });
    };
  return { store, values, early, writes: () => writes, flushes: () => flushes };
}

/** s0 then 40 steps that each yield a few times, every fifth cached; run on `store`. */
async function fortySteps(store: Store) {
  const registry = new StepRegistry();
  const start = jsonStep(registry, 'start', () => [1, 2, 3], { source: true });
  // each step yields a few times, so steps complete while a flush is under way
  const slow = jsonStep(registry, 'slow', async (rows) => {
    await new Promise((resolve) => setTimeout(resolve, 2));
    return (rows as number[]).map((n) => n + 1);
  });
  const steps: StepSpec[] = [{ id: 's0', type: start }];
  for (let i = 1; i <= 40; i++)
    steps.push({ id: `s${i}`, type: slow, ...(i % 5 === 0 ? { strategy: { cache: true } } : {}) });
  const wf = workflow(steps, { inputs: { seed: { type: 'JSON' } } });
  const context = new RuntimeContext<Store>({ store, registry: wf.registry });
  const seed = await context.put([0], { type: 'JSON' });
  const runner = new WorkflowRunner({ registry: wf.registry, heartbeatMs: 3 });
  const run = await runner.run(wf, { context, inputs: { seed } });
  await runner.close();
  return { run, result: await context.get(run.outputs.result as string) };
}

describe('the commit order of a run', () => {
  it('writes no record, journal entry or cache entry naming a value before the value is durable', async () => {
    const { store, values, early, writes } = recordingStore();
    const { run, result } = await fortySteps(store);
    expect(run.status).toBe('completed');
    expect(result).toEqual([41, 42, 43]);
    expect(early).toEqual([]);
    // the run was checkpointed along the way (not one record at the end), in batches of values
    expect(writes()).toBeGreaterThan(3);
    expect(values.syncs).toBeGreaterThan(1);
    expect(values.syncs).toBeLessThan(41);
  });

  it('appends each transition at once, naming written values, and flushes it only after they are durable', async () => {
    const { store, values, early, flushes } = recordingStore({ flush: true });
    const { run, result } = await fortySteps(store);
    expect(run.status).toBe('completed');
    expect(result).toEqual([41, 42, 43]);
    expect(early).toEqual([]);
    expect(flushes()).toBeGreaterThan(1);
    expect(values.syncs).toBeGreaterThan(1);
    expect(values.syncs).toBeLessThan(41);
  });
});
