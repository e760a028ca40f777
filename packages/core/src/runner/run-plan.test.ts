// runner.plan: what a run or a resume would do, step by step, and why, without running anything.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RuntimeContext } from '../context/runtime-context.js';
import { identifyFile } from '../keys/file-identity.js';
import { createStepType } from '../registry/define-step-type.js';
import { StepRegistry } from '../registry/step-registry.js';
import { jsonStep, type StepSpec, workflow } from './fixtures.contract.js';
import type { RunPlan } from './run-plan.js';
import { WorkflowRunner } from './workflow-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const calls: string[] = [];
const registry = new StepRegistry();
const source = jsonStep(
  registry,
  'source',
  (_i, p, ctx) => {
    calls.push(ctx.stepId);
    return p.n ?? 1;
  },
  { source: true },
);
const add = jsonStep(registry, 'add', (input, p, ctx) => {
  calls.push(ctx.stepId);
  return (input as number) + (p.n ?? 1);
});
/** Reads the length of a file: its identity (with a content hash when `hash`) enters its key. */
const readLength = createStepType(
  {
    slug: 'read_length',
    params: z.object({ path: z.string(), hash: z.boolean().default(false) }),
    outputType: 'JSON',
    files: (params) => {
      const { path, hash } = params as { path: string; hash: boolean };
      return Promise.all([identifyFile(path, join(dir, path), { hash })]);
    },
  },
  (() => 0) as never,
);

const summary = (plan: RunPlan) => plan.steps.map((step) => `${step.id}:${step.action}`);
const reasonsOf = (plan: RunPlan, id: string) => plan.steps.find((step) => step.id === id)?.reasons ?? [];

/** a (source) -> b (add, n) -> c (add); d (add) reads a. */
function specs(b: number, extra: StepSpec[] = []): StepSpec[] {
  return [
    { id: 'a', type: source },
    { id: 'b', type: add, config: { n: b } },
    { id: 'c', type: add },
    { id: 'd', type: add, inputs: { input: { step: 'a' } } },
    ...extra,
  ];
}

describe('runner.plan', () => {
  it('for a resume with an edited config: reuse what is unchanged, run the changed step and those reading it, and say why', async () => {
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const first = await runner.run(workflow(specs(1)), { context });
    calls.length = 0;
    const plan = await runner.plan(workflow(specs(5)), { context, from: first.toJSON() });
    expect(calls).toEqual([]);
    expect(summary(plan)).toEqual(['a:reuse', 'b:run', 'c:run', 'd:reuse']);
    expect(plan.counts).toEqual({ reuse: 2, cached: 0, run: 2 });
    expect(reasonsOf(plan, 'b')).toEqual([
      { code: 'CONFIG_CHANGED', path: 'steps[1].config.n', before: 1, after: 5, message: 'config: n 1 → 5' },
    ]);
    expect(reasonsOf(plan, 'c')).toEqual([
      { code: 'INPUT_CHANGED', input: 'input', step: 'b', message: 'input b changed' },
    ]);
    expect(plan.steps[1]?.message).toBe('run: config: n 1 → 5');
    expect(plan.steps[0]).toMatchObject({ action: 'reuse', output: first.steps.get('a')?.output });
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('a new run with `from` does what the plan of resuming that run says, and leaves that run as it was', async () => {
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const first = await runner.run(workflow(specs(1)), { context });
    const plan = await runner.plan(workflow(specs(5)), { context, from: first.id });
    calls.length = 0;
    const events: string[] = [];
    const second = await runner.run(workflow(specs(5)), {
      context,
      from: first.id,
      onEvent: (event) => {
        if (event.type === 'run.started') events.push(`resumed:${event.resumed}`);
      },
    });
    expect(second.id).not.toBe(first.id);
    expect(second.status).toBe('completed');
    expect(calls.sort()).toEqual(['b', 'c']);
    expect(summary(plan)).toEqual(['a:reuse', 'b:run', 'c:run', 'd:reuse']);
    expect(second.steps.get('a')).toMatchObject({ reusedFrom: first.id, output: first.steps.get('a')?.output });
    expect(second.steps.get('b')?.reusedFrom).toBeUndefined();
    expect(events).toEqual(['resumed:false']);
    expect(first.steps.get('a')?.reusedFrom).toBeUndefined();
    await expect(runner.run(workflow(specs(5)), { context, from: 'run_nothere' })).rejects.toMatchObject({
      code: 'RUN_NOT_FOUND',
    });
  });

  it('names a step new, one that failed, and one whose output is gone', async () => {
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const first = await runner.run(workflow(specs(1)), { context });
    const record = first.toJSON();
    for (const step of record.steps)
      if (step.id === 'b' || step.id === 'c') step.status = step.id === 'b' ? 'failed' : 'skipped';
    context.delete(first.steps.get('d')?.output as string);
    const plan = await runner.plan(workflow(specs(1, [{ id: 'e', type: add }])), { context, from: record });
    expect(summary(plan)).toEqual(['a:reuse', 'b:run', 'c:run', 'd:run', 'e:run']);
    expect(reasonsOf(plan, 'b').map((reason) => reason.message)).toEqual([`it failed in ${first.id}`]);
    expect(reasonsOf(plan, 'c').map((reason) => reason.message)).toEqual([`it was skipped in ${first.id}`]);
    expect(reasonsOf(plan, 'd').map((reason) => reason.code)).toEqual(['OUTPUT_MISSING']);
    expect(reasonsOf(plan, 'e').map((reason) => reason.code)).toEqual(['STEP_NEW']);
  });

  it('sees a step type whose code changed', async () => {
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const first = await runner.run(workflow(specs(1)), { context });
    const edited = jsonStep(new StepRegistry(), 'source', () => 2, { source: true });
    const plan = await runner.plan(workflow([{ id: 'a', type: edited }, ...specs(1).slice(1)]), {
      context,
      from: first.toJSON(),
    });
    expect(summary(plan)).toEqual(['a:run', 'b:run', 'c:run', 'd:run']);
    expect(reasonsOf(plan, 'a')).toEqual([
      { code: 'CODE_CHANGED', message: 'step type source changed (its code or definition)' },
    ]);
  });

  it('sees a file that changed, and with a content hash one that kept its size and modification time', async () => {
    writeFileSync(join(dir, 'sales.csv'), 'x\n1\n');
    utimesSync(join(dir, 'sales.csv'), 1_700_000_000, 1_700_000_000);
    const steps = (hash: boolean): StepSpec[] => [
      { id: 'load', type: readLength, config: { path: 'sales.csv', hash } },
      { id: 'next', type: add },
    ];
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const plain = await runner.run(workflow(steps(false)), { context });
    const hashed = await runner.run(workflow(steps(true)), { context });
    writeFileSync(join(dir, 'sales.csv'), 'x\n2\n');
    utimesSync(join(dir, 'sales.csv'), 1_700_000_000, 1_700_000_000);
    expect(summary(await runner.plan(workflow(steps(false)), { context, from: plain.toJSON() }))).toEqual([
      'load:reuse',
      'next:reuse',
    ]);
    const seen = await runner.plan(workflow(steps(true)), { context, from: hashed.toJSON() });
    expect(summary(seen)).toEqual(['load:run', 'next:run']);
    expect(reasonsOf(seen, 'load')).toMatchObject([
      { code: 'FILE_CHANGED', file: 'sales.csv', message: 'file sales.csv changed (content)' },
    ]);
    writeFileSync(join(dir, 'sales.csv'), 'x\n22\n');
    expect(
      reasonsOf(await runner.plan(workflow(steps(false)), { context, from: plain.toJSON() }), 'load'),
    ).toMatchObject([
      {
        code: 'FILE_CHANGED',
        message: 'file sales.csv changed (4 bytes → 5 bytes)',
        before: { size: 4 },
        after: { size: 5 },
      },
    ]);
  });

  it('for a new run: cached where the cache has the key, else run, explained against an earlier run', async () => {
    const context = new RuntimeContext();
    const runner = new WorkflowRunner();
    const cached = (n: number): StepSpec[] => [
      { id: 'a', type: source, strategy: { cache: true } },
      { id: 'b', type: add, config: { n }, strategy: { cache: true } },
      { id: 'c', type: add },
    ];
    const first = await runner.run(workflow(cached(1)), { context });
    const same = await runner.plan(workflow(cached(1)), { context, from: first.toJSON(), reuse: false });
    expect(summary(same)).toEqual(['a:cached', 'b:cached', 'c:run']);
    expect(reasonsOf(same, 'c').map((reason) => reason.code)).toEqual(['CACHE_OFF']);
    const edited = await runner.plan(workflow(cached(2)), { context, from: first.id, reuse: false });
    expect(summary(edited)).toEqual(['a:cached', 'b:run', 'c:run']);
    expect(reasonsOf(edited, 'b').map((reason) => reason.code)).toEqual(['CONFIG_CHANGED', 'CACHE_MISS']);
    const alone = await runner.plan(workflow(cached(3)), { context });
    expect(reasonsOf(alone, 'b').map((reason) => reason.code)).toEqual(['NO_EARLIER_RUN', 'CACHE_MISS']);
  });
});
