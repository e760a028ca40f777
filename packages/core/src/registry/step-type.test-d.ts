import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { JsonValue } from '../model/json.js';
import { stepType } from './define-step-type.js';
import { StepRegistry } from './step-registry.js';
import type { ConfigOf, StepContext } from './step-type.js';

const registry = new StepRegistry();

describe('stepType inference', () => {
  it('types the input from inputType, the params from the schema, and the config with defaults optional', () => {
    const scale = stepType(
      {
        slug: 'scale',
        params: z.object({ factor: z.number().default(2), label: z.string() }),
        inputType: 'Text',
        outputType: 'JSON',
        registry,
      },
      (input, params, ctx) => {
        expectTypeOf(input).toEqualTypeOf<string>();
        expectTypeOf(params).toEqualTypeOf<{ factor: number; label: string }>();
        expectTypeOf(ctx).toEqualTypeOf<StepContext>();
        return input.length * params.factor;
      },
    );
    expectTypeOf<ConfigOf<typeof scale>>().toEqualTypeOf<{ factor?: number | undefined; label: string }>();
  });

  it('gives a source step no input and a row_iterative step one row', () => {
    stepType({ slug: 'source', outputType: 'JSON', registry }, (input) => {
      expectTypeOf(input).toEqualTypeOf<undefined>();
      return [1, 2, 3];
    });
    stepType({ slug: 'per_row', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative', registry }, (row) => {
      expectTypeOf(row).toEqualTypeOf<JsonValue>();
      return row;
    });
  });

  it('rejects a function returning the wrong type', () => {
    // @ts-expect-error a Text step must return a string
    stepType({ slug: 'bad', inputType: 'JSON', outputType: 'Text', registry }, () => 42);
  });
});
