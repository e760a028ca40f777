import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RuntimeContext } from '../context/index.js';
import { loadDataTypes } from '../registry/data-type.js';
import { createStepType } from '../registry/define-step-type.js';
import { StepRegistry } from '../registry/step-registry.js';
import { Workflow } from './plan.js';
import { WorkflowRunner } from './workflow-runner.js';

/** A data type whose values need a "library" that only its `load` brings, as Arquero for a DataFrame. */
function setUp() {
  const library: { scale?: number } = {};
  let loads = 0;
  const registry = new StepRegistry();
  const need = (): number => {
    if (library.scale === undefined) throw new Error('the library is not loaded');
    return library.scale;
  };
  registry.registerDataType<number>({
    name: 'Scaled',
    is: (value): value is number => typeof value === 'number',
    encode: (value) => new TextEncoder().encode(String(value / need())),
    decode: (bytes) => Number(new TextDecoder().decode(bytes)) * need(),
    preview: (value) => value,
    load: async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      library.scale = 10;
    },
  });
  const params = z.object({});
  registry.register(createStepType({ slug: 'make', params, outputType: 'Scaled' }, () => need()));
  registry.register(
    createStepType({ slug: 'double', params, inputType: 'Scaled', outputType: 'JSON' }, (n: unknown) => Number(n) * 2),
  );
  return { registry, loads: () => loads };
}

describe('DataType.load', () => {
  it('is awaited by the runner before a step that makes or reads the type runs, once', async () => {
    const { registry, loads } = setUp();
    const wf = new Workflow({ id: 'load', name: 'Load', registry });
    wf.add('make', {}, { id: 'make' });
    wf.add('double', {}, { id: 'double' });
    const context = new RuntimeContext({ registry });
    const run = await new WorkflowRunner({ registry }).run(wf, { context });
    expect(run.steps.get('make')?.error).toBeUndefined();
    expect(run.status).toBe('completed');
    expect(context.get(run.steps.get('double')?.output as string)).toBe(20);
    expect(loads()).toBe(1);
  });

  it('loadDataTypes answers undefined when there is nothing left to await (the sync fast path)', async () => {
    const { registry, loads } = setUp();
    expect(loadDataTypes(registry, ['JSON', undefined, 'Nope'])).toBeUndefined();
    const pending = loadDataTypes(registry, ['Scaled', 'JSON']);
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(loadDataTypes(registry, ['Scaled'])).toBeUndefined();
    expect(loads()).toBe(1);
  });
});
