import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { stepType } from './define-step-type.js';
import { StepRegistry } from './step-registry.js';

describe('stepType', () => {
  it('registers a function and describes it in the catalog with JSON Schema params and defaults', () => {
    const registry = new StepRegistry();
    const clean = stepType(
      {
        slug: 'clean_nulls',
        params: z.object({ threshold: z.number().min(0).max(1).default(0.5) }),
        inputType: 'JSON',
        outputType: 'JSON',
        metadata: { category: 'cleaning' },
        registry,
      },
      (rows, { threshold }) => (Array.isArray(rows) ? rows.slice(0, Math.round(threshold * 10)) : rows),
    );
    expect(registry.get('clean_nulls')).toBe(clean);
    const [info] = registry.toJSON().stepTypes;
    expect(info?.name).toBe('Clean nulls');
    expect(info?.defaults).toEqual({ threshold: 0.5 });
    expect(info?.params).toMatchObject({ type: 'object', properties: { threshold: { default: 0.5, maximum: 1 } } });
    expect(info?.metadata).toEqual({ category: 'cleaning' });
  });

  it('registers a static method through the TC39 decorator', () => {
    const registry = new StepRegistry();
    // biome-ignore lint/complexity/noStaticOnlyClass: the decorator form decorates static methods
    class Steps {
      static factor = 3;
      @stepType({ slug: 'triple', inputType: 'JSON', outputType: 'JSON', registry })
      static triple(n: number) {
        return n * Steps.factor;
      }
    }
    const type = registry.require('triple');
    expect(type.fn(2 as never, {} as never, {} as never)).toBe(6);
    expect(Steps.triple(1)).toBe(3);
  });

  it('rejects a bad slug and a conflicting second registration, accepts an identical one', () => {
    const registry = new StepRegistry();
    expect(() => stepType({ slug: '../x', outputType: 'JSON', registry }, () => 1)).toThrow(/slug "..\/x" is invalid/);
    const def = { slug: 'one', outputType: 'JSON', registry } as const;
    const fn = () => 1;
    stepType(def, fn);
    expect(() => stepType(def, fn)).not.toThrow();
    expect(() => stepType(def, () => 2)).toThrow(expect.objectContaining({ code: 'STEP_TYPE_CONFLICT' }));
  });

  it('names the closest slugs for an unknown one', () => {
    const registry = new StepRegistry();
    stepType({ slug: 'clean_nulls', outputType: 'JSON', registry }, () => 1);
    expect(() => registry.require('clean_null')).toThrow(/Did you mean "clean_nulls"/);
  });
});

describe('a params schema zod cannot describe as JSON Schema', () => {
  it('registering the same definition twice is not a conflict; another schema object is', () => {
    const registry = new StepRegistry();
    // z.toJSONSchema throws on it, as it would on a hand-made ZodType
    const opaque = () => ({ _zod: { def: { type: 'hand_made' } } }) as unknown as z.ZodType;
    const params = opaque();
    const fn = () => 1;
    const def = { slug: 'opaque', params, outputType: 'JSON', registry } as const;
    stepType(def, fn);
    expect(() => stepType(def, fn)).not.toThrow();
    expect(() => stepType({ ...def, params: opaque() }, fn)).toThrow(
      expect.objectContaining({ code: 'STEP_TYPE_CONFLICT' }),
    );
  });
});
