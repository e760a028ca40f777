// On a run store that appends each transition at once and answers a promise (a database over the
// network: the PostgreSQL history), a step's completion is told to no one (its step.completed event,
// a step after it starting) before the store acknowledged the entry that says so: a process killed
// the moment anyone saw it never loses it. History's kill-after-step.test.ts shows it end to end on
// PostgreSQL; this holds the runner to it on any store.
import { describe, expect, it } from 'vitest';
import { MemoryCacheIndex } from '../context/memory/memory-cache.js';
import { MemoryRunStore } from '../context/memory/memory-runs.js';
import { MemoryValueStore } from '../context/memory/memory-values.js';
import { RuntimeContext } from '../context/runtime-context.js';
import type { Store } from '../context/store.js';
import type { RunEvent, RunJournalEntry, StepRun } from '../model/run.js';
import { StepRegistry } from '../registry/step-registry.js';
import { jsonStep, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

/** Memory, with a run store whose appends are acknowledged a few milliseconds later, as a server's would. */
function slowAppendStore() {
  const runs = new MemoryRunStore();
  /** Each step's completion, once the store acknowledged the entry that says so. */
  const acknowledged = new Set<string>();
  const store: Store = {
    values: new MemoryValueStore(),
    cache: new MemoryCacheIndex(),
    runs: {
      save: (record) => runs.save(record),
      append: (runId, entries, update) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            runs.append(runId, entries, update);
            for (const id of completedIn(entries)) acknowledged.add(id);
            resolve();
          }, 5),
        ),
      flush: (_runId, options) => Promise.resolve(options?.after),
      load: (runId) => runs.load(runId),
      list: (query) => runs.list(query),
      delete: (runId) => runs.delete(runId),
    },
  };
  return { store, acknowledged };
}

function completedIn(entries: readonly RunJournalEntry[]): string[] {
  return entries.flatMap((entry) => {
    const step = entry.step as Partial<StepRun> | undefined;
    return entry.type === 'step' && step?.status === 'completed' && step.id !== undefined ? [step.id] : [];
  });
}

/** a -> b -> c on `store` (a new run, or with `from` one taking over that run's outputs), noting at each event what the store had acknowledged. */
async function runOn(store: Store, acknowledged: ReadonlySet<string>, from?: string) {
  const registry = new StepRegistry();
  const one = jsonStep(registry, 'one', () => [1], { source: true });
  const inc = jsonStep(registry, 'inc', (rows) => (rows as number[]).map((n) => n + 1));
  const wf = workflow([
    { id: 'a', type: one },
    { id: 'b', type: inc },
    { id: 'c', type: inc },
  ]);
  const seen: string[] = [];
  const onEvent = (event: RunEvent) => {
    if (event.type === 'step.started' || event.type === 'step.completed')
      seen.push(`${event.type} ${event.stepId}, acknowledged: ${[...acknowledged].sort().join() || '-'}`);
  };
  const runner = new WorkflowRunner({ registry: wf.registry });
  const context = new RuntimeContext<Store>({ store, registry: wf.registry });
  const run = await runner.run(wf, { context, onEvent, ...(from === undefined ? {} : { from }) });
  await runner.close();
  return { run, seen };
}

describe('a run on a run store whose appends answer promises', () => {
  it('emits each step.completed, and starts the step after it, only once the store acknowledged the completion', async () => {
    const { store, acknowledged } = slowAppendStore();
    const { run, seen } = await runOn(store, acknowledged);
    expect(run.status).toBe('completed');
    expect(seen).toEqual([
      'step.started a, acknowledged: -',
      'step.completed a, acknowledged: a',
      'step.started b, acknowledged: a',
      'step.completed b, acknowledged: a,b',
      'step.started c, acknowledged: a,b',
      'step.completed c, acknowledged: a,b,c',
    ]);
  });

  it("emits a reused step's step.completed only once the store acknowledged it too", async () => {
    const { store, acknowledged } = slowAppendStore();
    const { run: first } = await runOn(store, acknowledged);
    acknowledged.clear();
    const { run, seen } = await runOn(store, acknowledged, first.id);
    expect(run.status).toBe('completed');
    expect([...run.steps.values()].map((step) => step.reusedFrom)).toEqual([first.id, first.id, first.id]);
    expect(seen).toEqual([
      'step.completed a, acknowledged: a',
      'step.completed b, acknowledged: a,b',
      'step.completed c, acknowledged: a,b,c',
    ]);
  });
});
