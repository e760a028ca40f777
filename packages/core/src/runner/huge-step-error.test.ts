// A step that throws a 50 MB message once made a 200 MB run record (the error stored twice, in the
// step and in the run) and 210 MB of events: what is stored and sent stays small.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileStore } from '../context/file/file-store.js';
import { RuntimeContext } from '../context/runtime-context.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { RunEvent } from '../model/run.js';
import { StepRegistry } from '../registry/step-registry.js';
import { loadRun } from '../runs/read-runs.js';
import { jsonStep, workflow } from './fixtures.contract.js';
import { Run } from './run.js';
import { WorkflowRunner } from './workflow-runner.js';

const MB = 1024 * 1024;
const root = mkdtempSync(join(tmpdir(), 'stepwise-huge-error-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function deepCause(depth: number): Error {
  let error = new Error('root cause');
  for (let i = 1; i < depth; i++) error = new Error(`wrapped ${i}`, { cause: error });
  return error;
}

const throwers: [string, () => never][] = [
  [
    'a 50 MB message',
    () => {
      throw new Error('m'.repeat(50 * MB));
    },
  ],
  [
    '20 MB of details',
    () => {
      throw new StepwiseError('ROW_REJECTED', 'rejected', { details: { blob: 'd'.repeat(20 * MB) } });
    },
  ],
  [
    'a cause chain 1000 deep',
    () => {
      throw new Error('top', { cause: deepCause(1000) });
    },
  ],
];

describe('a step that throws something huge', () => {
  for (const [what, thrower] of throwers) {
    it(`${what}: the stored record (journal included) and the events stay under 1 MB`, async () => {
      const registry = new StepRegistry();
      const one = jsonStep(registry, 'one', () => 1, { source: true });
      const bad = jsonStep(registry, 'bad', thrower);
      const wf = workflow([
        { id: 'a', type: one },
        { id: 'b', type: bad, strategy: { retries: 1, retryDelayMs: 1 } },
      ]);
      const store = new FileStore(mkdtempSync(join(root, 'store-')));
      const context = new RuntimeContext({ store });
      const events: RunEvent[] = [];
      const run = await new WorkflowRunner().run(wf, { context, onEvent: (event) => events.push(event) });
      expect(run.status).toBe('failed');
      expect(run.error).toBe(run.steps.get('b')?.error);

      const files = readdirSync(store.runs.dir).map((name) => statSync(join(store.runs.dir, name)).size);
      expect(files.reduce((a, b) => a + b, 0)).toBeLessThan(MB);
      expect(events.map((event) => JSON.stringify(event)).join('\n').length).toBeLessThan(MB);

      // kept once: the record names the failing step instead of copying its error
      const record = await loadRun(store.runs, run.id);
      expect(record?.failedStep).toBe('b');
      expect(record?.error).toBeUndefined();
      expect(record?.steps.find((step) => step.id === 'b')?.error?.message).toBe(run.error?.message);
      // and a run rebuilt from it has its error again
      const rebuilt = Run.fromJSON(record, { registry, context });
      expect(rebuilt.error).toEqual(run.error);
    });
  }
});

describe('a step that logs something huge', () => {
  it('a 50 MB log line is cut to 16 KiB, with the marker, in its step.log event', async () => {
    const registry = new StepRegistry();
    const loud = jsonStep(
      registry,
      'loud',
      (_input, _params, ctx) => {
        ctx.log.info('l'.repeat(50 * MB));
        return 1;
      },
      { source: true },
    );
    const events: RunEvent[] = [];
    const run = await new WorkflowRunner().run(workflow([{ id: 'a', type: loud }]), {
      onEvent: (event) => events.push(event),
    });
    expect(run.status).toBe('completed');
    const log = events.find((event) => event.type === 'step.log');
    expect(log?.type === 'step.log' && log.message.length).toBeLessThanOrEqual(16 * 1024);
    expect(log?.type === 'step.log' && log.message).toMatch(/l… \[cut 52,\d{3},\d{3} characters\]$/);
  });
});
