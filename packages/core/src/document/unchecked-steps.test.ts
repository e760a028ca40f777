// A step type without an `infer` hook used to switch off column checks for every step after it,
// silently. uncheckedSteps says which steps could not be checked, and where the unknown started.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stepType } from '../registry/define-step-type.js';
import { StepRegistry } from '../registry/step-registry.js';
import { uncheckedSteps } from './unchecked-steps.js';
import { Workflow } from './workflow.js';

function registry(): StepRegistry {
  const r = new StepRegistry();
  const columns = z.object({ columns: z.array(z.string()).optional() });
  // a source whose hook knows its columns when the config names them (like read_csv when the file exists)
  stepType(
    {
      slug: 'source',
      params: columns,
      outputType: 'JSON',
      registry: r,
      infer: (p) => (p.columns ? { shape: { columns: p.columns } } : {}),
    },
    () => [],
  );
  stepType({ slug: 'opaque', inputType: 'JSON', outputType: 'JSON', registry: r }, (rows) => rows);
  stepType(
    {
      slug: 'pass',
      inputType: 'JSON',
      outputType: 'JSON',
      registry: r,
      infer: (_p, { input }) => (input ? { shape: input } : undefined),
    },
    (rows) => rows,
  );
  return r;
}

const workflow = (steps: object[], inputs = {}) =>
  Workflow.fromJSON(
    { format: 'stepwise.workflow', version: 1, id: 'w', name: 'w', inputs, steps, outputs: {} },
    { registry: registry() },
  );

describe('uncheckedSteps', () => {
  it('names the steps after a step type without an infer hook, and that step as the cause', () => {
    const wf = workflow([
      { id: 'load', type: 'source', config: { columns: ['a'] } },
      { id: 'custom', type: 'opaque', config: {} },
      { id: 'first', type: 'pass', config: {} },
      { id: 'second', type: 'pass', config: {} },
    ]);
    const cause = { kind: 'step', stepId: 'custom', type: 'opaque', hasInfer: false };
    expect(uncheckedSteps(wf.plan())).toEqual([
      { stepId: 'first', type: 'pass', input: 'input', cause },
      { stepId: 'second', type: 'pass', input: 'input', cause },
    ]);
  });

  it('a hook that could not tell is the cause (hasInfer: true); workflow inputs and refs are causes too', () => {
    const wf = workflow(
      [
        { id: 'load', type: 'source', config: {} },
        { id: 'first', type: 'pass', config: {} },
        { id: 'given', type: 'pass', config: {}, inputs: { input: { input: 'table' } } },
        { id: 'stored', type: 'pass', config: {}, inputs: { input: { ref: 'ref_abcdefghijklmnop' } } },
      ],
      { table: { type: 'JSON' } },
    );
    expect(uncheckedSteps(wf.plan()).map(({ stepId, cause }) => [stepId, cause])).toEqual([
      ['first', { kind: 'step', stepId: 'load', type: 'source', hasInfer: true }],
      ['given', { kind: 'workflow-input', name: 'table' }],
      ['stored', { kind: 'ref' }],
    ]);
  });

  it('nothing when every shape is known, and nothing for steps without a hook (they check nothing)', () => {
    const wf = workflow([
      { id: 'load', type: 'source', config: { columns: ['a'] } },
      { id: 'first', type: 'pass', config: {} },
      { id: 'custom', type: 'opaque', config: {} },
    ]);
    expect(uncheckedSteps(wf.plan())).toEqual([]);
  });
});
