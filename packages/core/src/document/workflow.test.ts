import { describe, expect, it } from 'vitest';
import { WorkflowValidationError } from '../errors/workflow-validation-error.js';
import { testRegistry } from './fixtures/test-registry.js';
import { Workflow } from './workflow.js';

function setup() {
  const types = testRegistry();
  return { ...types, wf: new Workflow({ id: 'sales', name: 'Sales', registry: types.registry }) };
}

describe('Workflow editing', () => {
  it('adds steps by StepType or slug with ids slug, slug_2, slug_3 ...', () => {
    const { wf, cleanNulls, readRows } = setup();
    wf.add(readRows, { path: 'a.csv' }, { id: 'load' });
    wf.add(cleanNulls, { threshold: 0.2 });
    wf.add('clean_nulls');
    wf.add('clean_nulls', {}, { id: 'clean_nulls_3' });
    wf.add(cleanNulls);
    expect(wf.steps.map((step) => step.id)).toEqual([
      'load',
      'clean_nulls',
      'clean_nulls_2',
      'clean_nulls_3',
      'clean_nulls_4',
    ]);
    expect(wf.step('clean_nulls')).toEqual({ id: 'clean_nulls', type: 'clean_nulls', config: { threshold: 0.2 } });
  });

  it('throws STEP_TYPE_UNKNOWN at once for an unknown slug, naming the closest ones', () => {
    const { wf } = setup();
    expect(() => wf.add('clean_null')).toThrow(
      expect.objectContaining({ code: 'STEP_TYPE_UNKNOWN', message: expect.stringMatching(/"clean_nulls"/) }),
    );
    expect(wf.steps).toHaveLength(0);
  });

  it('throws for a StepType that is not in the workflow registry', () => {
    const { cleanNulls } = setup();
    const other = new Workflow({ id: 'o', registry: testRegistry().registry });
    expect(() => other.add(cleanNulls)).toThrow(expect.objectContaining({ code: 'STEP_TYPE_CONFLICT' }));
    expect(() => new Workflow({ id: 'x' }).add(cleanNulls)).toThrow(/not registered in the registry of workflow "x"/);
  });

  it('does not check config in add, and keeps a copy that later changes to the caller object do not reach', () => {
    const { wf } = setup();
    const config = { threshold: 'x' as unknown as number };
    const step = wf.add('clean_nulls', config);
    config.threshold = 0.9;
    expect(step.config).toEqual({ threshold: 'x' });
    expect(Object.isFrozen(step) && Object.isFrozen(step.config)).toBe(true);
    expect(Object.isFrozen(wf.steps)).toBe(true);
  });

  it('throws at once for a config that is not JSON, with the path', () => {
    const { wf } = setup();
    wf.add('read_rows', { path: 'a' });
    const attempt = () => wf.add('clean_nulls', { threshold: Number.NaN, f: () => 1 } as never);
    expect(attempt).toThrow(WorkflowValidationError);
    expect(attempt).toThrow(/steps\[1\]\.config\.f/);
    expect(() => wf.add('clean_nulls', [] as never)).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(wf.steps).toHaveLength(1);
  });

  it('removes, moves and updates steps, throwing STEP_NOT_FOUND for unknown ids', () => {
    const { wf } = setup();
    wf.add('read_rows', { path: 'a' }, { id: 'a' });
    wf.add('clean_nulls', {}, { id: 'b' });
    wf.add('clean_nulls', {}, { id: 'c', strategy: { retries: 2 }, metadata: { note: 'x' } });
    wf.move('c', 1);
    expect(wf.steps.map((step) => step.id)).toEqual(['a', 'c', 'b']);
    expect(wf.remove('b').id).toBe('b');
    const updated = wf.update('c', { config: { threshold: 0.1 }, strategy: null, metadata: { note: 'y' } });
    expect(updated).toEqual({ id: 'c', type: 'clean_nulls', config: { threshold: 0.1 }, metadata: { note: 'y' } });
    expect(wf.step('c')).toBe(updated);
    expect(() => wf.remove('zz')).toThrow(expect.objectContaining({ code: 'STEP_NOT_FOUND' }));
    expect(() => wf.move('a', 5)).toThrow(expect.objectContaining({ code: 'FIELD_INVALID' }));
    expect(() => wf.update('zz', {})).toThrow(expect.objectContaining({ code: 'STEP_NOT_FOUND' }));
  });

  it('renaming a step moves the references to it in inputs and outputs', () => {
    const { wf } = setup();
    wf.add('read_rows', { path: 'a' }, { id: 'a' });
    wf.add('clean_nulls', {}, { id: 'b', inputs: { input: { step: 'a' } } });
    wf.setOutput('rows', { step: 'a' });
    wf.update('a', { id: 'load' });
    expect(wf.step('b')?.inputs).toEqual({ input: { step: 'load' } });
    expect(wf.outputs).toEqual({ rows: { step: 'load' } });
    expect(wf.validate()).toEqual([]);
  });

  it('declares and removes inputs and outputs, refusing prototype keys', () => {
    const { wf } = setup();
    wf.setInput('rows', { type: 'JSON', description: 'Rows' });
    wf.setOutput('out', { input: 'rows' });
    expect(wf.inputs).toEqual({ rows: { type: 'JSON', description: 'Rows' } });
    wf.setOutput('out', undefined);
    expect(wf.outputs).toEqual({});
    expect(() => wf.setInput('__proto__', { type: 'JSON' })).toThrow(
      expect.objectContaining({ code: 'KEY_FORBIDDEN' }),
    );
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });

  it('keeps ui and metadata as free JSON through toJSON and fromJSON', () => {
    const { wf, registry } = setup();
    wf.add('read_rows', { path: 'a' });
    wf.ui = { positions: { read_rows: { x: 1, y: 2 } }, z: [null, true] };
    wf.metadata = { owner: 'me' };
    const again = Workflow.fromJSON(wf.toJSON(), { registry });
    expect(again.ui).toEqual(wf.ui);
    expect(again.metadata).toEqual({ owner: 'me' });
    expect(again.name).toBe('Sales');
  });
});

describe('Workflow.plan', () => {
  it('resolves step types, parses params with defaults, applies the sequential default and lists dependencies', () => {
    const { wf, registry, join } = setup();
    wf.setInput('customers', { type: 'JSON' });
    wf.add('read_rows', { path: 'a' }, { id: 'load' });
    wf.add('clean_nulls', {}, { id: 'clean', strategy: { workers: 2 } });
    wf.add(join, { on: 'id' }, { id: 'joined', inputs: { input: { step: 'clean' }, right: { input: 'customers' } } });
    const plan = wf.plan();
    expect(plan.registry).toBe(registry);
    expect(plan.steps.map((step) => [step.index, step.id, step.stepType.slug, step.dependsOn])).toEqual([
      [0, 'load', 'read_rows', []],
      [1, 'clean', 'clean_nulls', ['load']],
      [2, 'joined', 'join', ['clean']],
    ]);
    const clean = plan.byId.get('clean');
    expect(clean).toMatchObject({
      config: {},
      params: { threshold: 0.5 },
      inputs: { input: { step: 'load' } },
      strategy: { workers: 2 },
    });
    expect(plan.byId.get('joined')?.params).toEqual({ on: 'id', how: 'inner' });
    expect(plan.byId.get('load')?.strategy).toEqual({});
    expect(plan.inputs).toEqual({ customers: { type: 'JSON' } });
    expect(plan.document).toEqual(wf.toJSON());
  });

  it('uses the last step as the output "result" when none are declared', () => {
    const { wf } = setup();
    wf.add('read_rows', { path: 'a' });
    wf.add('clean_nulls');
    expect(wf.plan().outputs).toEqual({ result: { step: 'clean_nulls' } });
    wf.setOutput('rows', { step: 'read_rows' });
    expect(wf.plan().outputs).toEqual({ rows: { step: 'read_rows' } });
    expect(wf.toJSON().outputs).toEqual({ rows: { step: 'read_rows' } });
  });

  it('is cached until the workflow changes', () => {
    const { wf } = setup();
    wf.add('read_rows', { path: 'a' });
    const plan = wf.plan();
    expect(wf.plan()).toBe(plan);
    wf.add('clean_nulls');
    const next = wf.plan();
    expect(next).not.toBe(plan);
    expect(next.steps).toHaveLength(2);
    wf.name = 'renamed';
    expect(wf.plan()).not.toBe(next);
  });

  it('throws WorkflowValidationError with every issue for an invalid workflow', () => {
    const { wf } = setup();
    wf.add('clean_nulls', { threshold: 3 });
    expect(() => wf.plan()).toThrow(WorkflowValidationError);
    expect(() => wf.plan()).toThrow(/steps\[0\]\.inputs\.input[\s\S]*steps\[0\]\.config\.threshold/);
  });

  it('is ready at once after fromJSON', () => {
    const { wf, registry } = setup();
    wf.add('read_rows', { path: 'a' });
    const loaded = Workflow.fromJSON(wf.toJSON(), { registry });
    expect(loaded.plan()).toBe(loaded.plan());
    expect(loaded.plan().steps[0]?.params).toEqual({ path: 'a' });
  });
});
