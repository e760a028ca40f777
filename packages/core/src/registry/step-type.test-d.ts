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

  it('takes an input annotation narrower than the data type, and refuses one that is not of it', () => {
    type Order = { id: number; amount: number; gross?: number };
    const taxed = stepType(
      { slug: 'narrow', params: z.object({ rate: z.number() }), inputType: 'JSON', outputType: 'JSON', registry },
      (rows: Order[], { rate }) => {
        expectTypeOf(rate).toEqualTypeOf<number>();
        return rows.map((o) => ({ ...o, gross: o.amount * (1 + rate) }));
      },
    );
    expectTypeOf<ConfigOf<typeof taxed>>().toEqualTypeOf<{ rate: number }>();
    stepType(
      { slug: 'narrow_row', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative', registry },
      (o: Order) => o.amount,
    );
    stepType({ slug: 'narrow_text', inputType: 'Text', outputType: 'Text', registry }, (s: 'a' | 'b') => s);
    // @ts-expect-error a Date is not JSON
    stepType({ slug: 'not_json', inputType: 'JSON', outputType: 'JSON', registry }, (d: Date) => d.getTime());
    // @ts-expect-error a Text step's input is a string
    stepType({ slug: 'not_text', inputType: 'Text', outputType: 'JSON', registry }, (n: number) => n);
    // @ts-expect-error a source step has no input to annotate
    stepType({ slug: 'not_source', outputType: 'JSON', registry }, (rows: Order[]) => rows);
  });

  it('rejects a function returning the wrong type', () => {
    // @ts-expect-error a Text step must return a string
    stepType({ slug: 'bad', inputType: 'JSON', outputType: 'Text', registry }, () => 42);
  });
});
