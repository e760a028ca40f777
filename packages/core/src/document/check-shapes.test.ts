// The `infer` hooks of step types, as validation calls them: shapes flow from step to step, issues
// are re-rooted under the step's config, and unknown never fails.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { stepType } from '../registry/define-step-type.js';
import { StepRegistry } from '../registry/step-registry.js';
import type { OutputShape } from '../registry/step-type.js';
import { Workflow } from './workflow.js';

type Inputs = Readonly<Record<string, OutputShape | undefined>>;

/** A registry of fake table steps whose hooks record the input shapes they were given. */
function tableSteps() {
  const registry = new StepRegistry();
  const seen: { slug: string; inputs: Inputs }[] = [];
  const record = (slug: string, inputs: Inputs) => seen.push({ slug, inputs: structuredClone(inputs) });
  stepType(
    {
      slug: 'source',
      params: z.object({ columns: z.array(z.string()).optional() }),
      outputType: 'JSON',
      registry,
      infer: ({ columns }, inputs) => {
        record('source', inputs);
        return columns ? { shape: { columns } } : undefined;
      },
    },
    () => [],
  );
  stepType(
    {
      slug: 'keep',
      params: z.object({ columns: z.array(z.string()) }),
      inputType: 'JSON',
      outputType: 'JSON',
      registry,
      infer: ({ columns }, inputs) => {
        record('keep', inputs);
        const available = inputs.input?.columns;
        if (available === undefined) return { shape: { columns } };
        const issues = columns
          .map((name, i) => ({ name, i }))
          .filter(({ name }) => !available.includes(name))
          .map(({ name, i }) => ({ path: ['columns', i], message: `column "${name}" not found` }));
        return { shape: { columns }, issues };
      },
    },
    (rows) => rows,
  );
  stepType(
    {
      slug: 'pair',
      inputType: 'JSON',
      inputs: { right: 'JSON' },
      outputType: 'JSON',
      registry,
      infer: (_params, inputs) => {
        record('pair', inputs);
        return { shape: { columns: [...(inputs.input?.columns ?? []), ...(inputs.right?.columns ?? [])] } };
      },
    },
    (rows) => rows,
  );
  stepType({ slug: 'plain', inputType: 'JSON', outputType: 'JSON', registry }, (rows) => rows);
  stepType(
    {
      slug: 'broken',
      inputType: 'JSON',
      outputType: 'JSON',
      registry,
      infer: () => {
        throw new Error('a bug in the hook');
      },
    },
    (rows) => rows,
  );
  return { registry, seen };
}

function workflow(registry: StepRegistry, inputs = {}) {
  return new Workflow({ id: 'w', registry, inputs });
}

describe('infer hooks in validation', () => {
  it('reports a hook issue as CONFIG_INVALID at steps[i].config.<path>, with the step in the message', () => {
    const { registry } = tableSteps();
    const wf = workflow(registry);
    wf.add('source', { columns: ['a', 'b'] }, { id: 'load' });
    wf.add('keep', { columns: ['a', 'c'] }, { id: 'pick' });
    expect(wf.validate()).toEqual([
      {
        code: 'CONFIG_INVALID',
        path: ['steps', 1, 'config', 'columns', 1],
        pathText: 'steps[1].config.columns[1]',
        message: 'Config of step "pick" (keep): column "c" not found',
      },
    ]);
    expect(() => Workflow.fromJSON(wf.toJSON(), { registry })).toThrow(/column "c" not found/);
  });

  it('passes each step the shapes computed so far, by input name', () => {
    const { registry, seen } = tableSteps();
    const wf = workflow(registry);
    wf.add('source', { columns: ['a', 'b'] }, { id: 'left' });
    wf.add('source', { columns: ['k'] }, { id: 'right' });
    wf.add('pair', {}, { inputs: { input: { step: 'left' }, right: { step: 'right' } } });
    wf.add('keep', { columns: ['a', 'k'] });
    wf.add('keep', { columns: ['b'] });
    expect(wf.validate().map((issue) => issue.pathText)).toEqual(['steps[4].config.columns[0]']);
    expect(seen.slice(2)).toEqual([
      { slug: 'pair', inputs: { input: { columns: ['a', 'b'] }, right: { columns: ['k'] } } },
      { slug: 'keep', inputs: { input: { columns: ['a', 'b', 'k'] } } },
      { slug: 'keep', inputs: { input: { columns: ['a', 'k'] } } },
    ]);
  });

  it('propagates unknown: a step without a hook, a workflow input, a ref, and a hook that returns nothing', () => {
    const { registry, seen } = tableSteps();
    const wf = workflow(registry, { rows: { type: 'JSON' } });
    wf.add('source', { columns: ['a'] }, { id: 'known' });
    wf.add('plain');
    wf.add('keep', { columns: ['zzz'] }, { id: 'afterPlain' });
    wf.add('keep', { columns: ['zzz'] }, { inputs: { input: { input: 'rows' } } });
    wf.add('keep', { columns: ['zzz'] }, { inputs: { input: { ref: 'ref_abcdefgh' } } });
    wf.add('source', {}, { id: 'unknownSource' });
    wf.add('keep', { columns: ['zzz'] }, { inputs: { input: { step: 'unknownSource' } } });
    wf.add('pair', {}, { inputs: { input: { step: 'known' }, right: { input: 'rows' } } });
    expect(wf.validate()).toEqual([]);
    expect(seen.filter((call) => call.slug !== 'source').map((call) => call.inputs)).toEqual([
      { input: undefined },
      { input: undefined },
      { input: undefined },
      { input: undefined },
      { input: { columns: ['a'] }, right: undefined },
    ]);
  });

  it('a step with a config problem of its own gives an unknown shape downstream, not a second error', () => {
    const { registry } = tableSteps();
    const wf = workflow(registry);
    wf.add('source', { columns: 'not a list' } as never);
    wf.add('keep', { columns: ['a'] });
    expect(wf.validate().map((issue) => issue.pathText)).toEqual(['steps[0].config.columns']);
  });

  it('a hook that throws is ignored: validation still succeeds and the shape is unknown', () => {
    const { registry } = tableSteps();
    const wf = workflow(registry);
    wf.add('source', { columns: ['a'] });
    wf.add('broken');
    wf.add('keep', { columns: ['not-there'] });
    expect(wf.validate()).toEqual([]);
    expect(wf.plan().steps).toHaveLength(3);
  });

  it('ignores malformed hook results instead of failing', () => {
    const registry = new StepRegistry();
    stepType(
      {
        slug: 'odd',
        outputType: 'JSON',
        registry,
        infer: () => ({ shape: { columns: [1, 2] }, issues: [{ path: 'x', message: 3 }] }) as never,
      },
      () => [],
    );
    const wf = workflow(registry);
    wf.add('odd');
    expect(wf.validate()).toEqual([]);
  });

  it('types the hook params from the params schema', () => {
    const registry = new StepRegistry();
    stepType(
      {
        slug: 'typed',
        params: z.object({ n: z.number().default(1) }),
        outputType: 'JSON',
        registry,
        infer: (params) => {
          expectTypeOf(params).toEqualTypeOf<{ n: number }>();
          return undefined;
        },
      },
      () => [],
    );
    expect(registry.get('typed')?.infer).toBeTypeOf('function');
  });
});
