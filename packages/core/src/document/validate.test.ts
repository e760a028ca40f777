import { describe, expect, it } from 'vitest';
import { testRegistry } from './fixtures/test-registry.js';
import { validateDocument } from './inspect.js';
import { Workflow } from './workflow.js';

const { registry } = testRegistry();

function codes(workflow: Workflow) {
  return workflow.validate().map((issue) => [issue.code, issue.pathText]);
}

function workflow(options: Partial<ConstructorParameters<typeof Workflow>[0]> = {}) {
  return new Workflow({ id: 'w', registry, ...options });
}

describe('Workflow.validate', () => {
  it('returns [] for a valid workflow, with the sequential default wiring each step to the previous one', () => {
    const wf = workflow();
    wf.add('read_rows', { path: 'a.csv' });
    wf.add('clean_nulls', {});
    wf.add('score_rows');
    expect(wf.validate()).toEqual([]);
  });

  it('a step after one broken in shape gets no issue of its own for reading it, whatever the broken one is', () => {
    const after = (first: unknown) =>
      validateDocument(
        {
          format: 'stepwise.workflow',
          version: 1,
          id: 'w',
          steps: [first, { id: 'b', type: 'clean_nulls', config: {} }],
        },
        registry,
      ).map((issue) => issue.pathText);
    for (const first of [null, 0, 5, 'read', [], { id: 7, type: 'read_rows' }, { id: 'a' }]) {
      expect(after(first).every((path) => path.startsWith('steps[0]'))).toBe(true);
    }
  });

  it('reports an unknown step type naming the closest slugs (STEP_TYPE_UNKNOWN)', () => {
    const issues = validateDocument(
      { format: 'stepwise.workflow', version: 1, id: 'w', steps: [{ id: 'a', type: 'clean_null', config: {} }] },
      registry,
    );
    expect(issues).toEqual([
      {
        code: 'STEP_TYPE_UNKNOWN',
        path: ['steps', 0, 'type'],
        pathText: 'steps[0].type',
        message: expect.stringMatching(/Did you mean "clean_nulls"/),
        suggestions: ['clean_nulls'],
        actual: '"clean_null"',
      },
    ]);
  });

  it('reports invalid config re-rooted under the step (CONFIG_INVALID)', () => {
    const wf = workflow();
    wf.add('read_rows', { path: 'a.csv' });
    wf.add('clean_nulls', { threshold: 2 });
    expect(wf.validate()).toEqual([
      {
        code: 'CONFIG_INVALID',
        path: ['steps', 1, 'config', 'threshold'],
        pathText: 'steps[1].config.threshold',
        message: expect.stringMatching(/clean_nulls.*<=1/),
      },
    ]);
  });

  it('reports a missing required input, for the first step and for a named input (INPUT_MISSING)', () => {
    const wf = workflow();
    wf.add('clean_nulls');
    wf.add('join', { on: 'id' });
    expect(codes(wf)).toEqual([
      ['INPUT_MISSING', 'steps[0].inputs.input'],
      ['INPUT_MISSING', 'steps[1].inputs.right'],
    ]);
    expect(wf.validate()[0]?.message).toMatch(/first step/);
  });

  it('reads explicit inputs only: a step with inputs but no primary input misses it', () => {
    const wf = workflow();
    wf.add('read_rows', { path: 'a' }, { id: 'a' });
    wf.add('join', { on: 'id' }, { inputs: { right: { step: 'a' } } });
    expect(codes(wf)).toEqual([['INPUT_MISSING', 'steps[1].inputs.input']]);
  });

  it('reports an input name the step type does not declare, and an unknown workflow input (INPUT_UNKNOWN)', () => {
    const wf = workflow({ inputs: { rows: { type: 'JSON' } } });
    wf.add('read_rows', { path: 'a' }, { inputs: { input: { input: 'rows' } } });
    wf.add('clean_nulls', {}, { inputs: { input: { input: 'rowz' } } });
    expect(codes(wf)).toEqual([
      ['INPUT_UNKNOWN', 'steps[0].inputs.input'],
      ['INPUT_UNKNOWN', 'steps[1].inputs.input.input'],
    ]);
    expect(wf.validate()[1]?.message).toMatch(/Declared inputs: rows/);
  });

  it('reports a reference to an unknown step in inputs and outputs (STEP_NOT_FOUND)', () => {
    const wf = workflow({ outputs: { result: { step: 'nope' } } });
    wf.add('read_rows', { path: 'a' }, { id: 'load' });
    wf.add('clean_nulls', {}, { inputs: { input: { step: 'lod' } } });
    expect(codes(wf)).toEqual([
      ['STEP_NOT_FOUND', 'steps[1].inputs.input.step'],
      ['STEP_NOT_FOUND', 'outputs.result.step'],
    ]);
    expect(wf.validate()[0]?.message).toMatch(/Did you mean "load"/);
  });

  it('reports incompatible data types from steps and workflow inputs (INPUT_TYPE_MISMATCH)', () => {
    const wf = workflow({ inputs: { text: { type: 'Text' } } });
    wf.add('read_text', { path: 'a' });
    wf.add('clean_nulls');
    wf.add('join', { on: 'id' }, { inputs: { input: { step: 'clean_nulls' }, right: { input: 'text' } } });
    wf.add('nested', {}, { inputs: { input: { step: 'read_text' } } });
    expect(codes(wf)).toEqual([
      ['INPUT_TYPE_MISMATCH', 'steps[1].inputs.input'],
      ['INPUT_TYPE_MISMATCH', 'steps[2].inputs.right'],
    ]);
    expect(wf.validate()[0]?.message).toMatch(/expects JSON, but step "read_text" \(read_text\) gives Text/);
  });

  it('reports an unknown data type of a workflow input (DATA_TYPE_UNKNOWN)', () => {
    const wf = workflow({ inputs: { table: { type: 'DataFrame' } } });
    wf.add('read_rows', { path: 'a' });
    expect(codes(wf)).toEqual([['DATA_TYPE_UNKNOWN', 'inputs.table.type']]);
  });

  it('reports a reference to a later step (REFERENCE_FORWARD) and to itself (REFERENCE_SELF)', () => {
    const wf = workflow();
    wf.add('read_rows', { path: 'a' }, { id: 'load' });
    wf.add('clean_nulls', {}, { id: 'early', inputs: { input: { step: 'late' } } });
    wf.add('clean_nulls', {}, { id: 'late', inputs: { input: { step: 'load' } } });
    wf.add('clean_nulls', {}, { id: 'self', inputs: { input: { step: 'self' } } });
    expect(codes(wf)).toEqual([
      ['REFERENCE_SELF', 'steps[3].inputs.input.step'],
      ['REFERENCE_FORWARD', 'steps[1].inputs.input.step'],
    ]);
    expect(wf.validate()[1]?.message).toMatch(/move "late" before "early"/);
  });

  it('reports a cycle once, not as forward references (CYCLE)', () => {
    const wf = workflow();
    wf.add('read_rows', { path: 'a' }, { id: 'load' });
    wf.add('join', { on: 'id' }, { id: 'a', inputs: { input: { step: 'load' }, right: { step: 'c' } } });
    wf.add('clean_nulls', {}, { id: 'b' });
    wf.add('clean_nulls', {}, { id: 'c' });
    expect(codes(wf)).toEqual([['CYCLE', 'steps[1].inputs']]);
    expect(wf.validate()[0]?.message).toMatch(/Steps "a", "b", "c" read each other in a cycle/);
  });

  it('reports duplicate and malformed ids (STEP_ID_DUPLICATE, FIELD_INVALID)', () => {
    const wf = workflow();
    wf.add('read_rows', { path: 'a' }, { id: 'load' });
    wf.add('read_rows', { path: 'b' }, { id: 'load' });
    wf.add('read_rows', { path: 'c' }, { id: '../etc' });
    expect(codes(wf)).toEqual([
      ['FIELD_INVALID', 'steps[2].id'],
      ['STEP_ID_DUPLICATE', 'steps[1].id'],
    ]);
  });

  it('collects every problem of every step at once', () => {
    const own = testRegistry().registry;
    const wf = new Workflow({ id: 'w', registry: own, outputs: { out: { input: 'missing' } } });
    wf.add('clean_nulls', { threshold: -1, extra: true });
    wf.add('read_text', { path: 'x' });
    own.unregister('read_text');
    wf.add('join', {}, { strategy: { workers: 0 } });
    expect(codes(wf)).toEqual([
      ['FIELD_INVALID', 'steps[2].strategy.workers'],
      ['STEP_TYPE_UNKNOWN', 'steps[1].type'],
      ['INPUT_MISSING', 'steps[0].inputs.input'],
      ['CONFIG_INVALID', 'steps[0].config.threshold'],
      ['CONFIG_INVALID', 'steps[0].config.extra'],
      ['INPUT_UNKNOWN', 'outputs.out.input'],
    ]);
  });

  it('respects a params object that allows extra keys (z.looseObject)', async () => {
    const { z } = await import('zod');
    const { stepType } = await import('../registry/define-step-type.js');
    const { StepRegistry } = await import('../registry/step-registry.js');
    const loose = new StepRegistry();
    stepType({ slug: 'loose', params: z.looseObject({ a: z.number() }), outputType: 'JSON', registry: loose }, () => 1);
    const wf = new Workflow({ id: 'w', registry: loose });
    wf.add('loose', { a: 1, b: 2 });
    expect(wf.validate()).toEqual([]);
  });
});
