// file: examples/tutorial/steps.ts
import { readFileSync } from 'node:fs';
import { stepType } from '@stepwise/core';
import { z } from 'zod';

// A `type` of JSON fields (an `interface` has no index signature, so it is not JSON to TypeScript).
export type Order = {
  id: number;
  amount: number;
  gross?: number;
};

// Function form: stepType(definition, fn) registers the step type and returns it.
export const orders = stepType(
  {
    slug: 'tutorial_orders',
    description: 'Make `count` orders of 10, 20, 30, ... (a source step: no input).',
    params: z.object({ count: z.number().int().min(1) }),
    outputType: 'JSON',
  },
  (_input, { count }) => Array.from({ length: count }, (_, i) => ({ id: i + 1, amount: 10 * (i + 1) })),
);

export const addTax = stepType(
  {
    slug: 'add_tax',
    description: 'Add `gross` = amount × (1 + rate) to every order.',
    params: z.object({ rate: z.number().min(0).default(0.2) }),
    inputType: 'JSON',
    outputType: 'JSON',
  },
  // The input is JSON; annotating it says which JSON this step expects (not checked at run time).
  (rows: Order[], { rate }) => rows.map((o) => ({ ...o, gross: o.amount * (1 + rate) })),
);

// Decorator form: @stepType(definition) on a static method registers it the same way.
// biome-ignore lint/complexity/noStaticOnlyClass: the decorator form decorates static methods
export class Currency {
  @stepType({
    slug: 'convert_currency',
    description: 'Convert `gross` with the rate for `currency` read from a JSON file of rates.',
    params: z.object({ ratesFile: z.string(), currency: z.string().default('EUR') }),
    inputType: 'JSON',
    outputType: 'JSON',
  })
  static convert(rows: Order[], { ratesFile, currency }: { ratesFile: string; currency: string }) {
    let rates: Record<string, number>;
    try {
      rates = JSON.parse(readFileSync(ratesFile, 'utf8'));
    } catch (cause) {
      throw new Error(`cannot read exchange rates from ${ratesFile}`, { cause });
    }
    const rate = rates[currency] ?? 1;
    return rows.map((o) => ({ ...o, gross: Math.round((o.gross ?? o.amount) * rate * 100) / 100, currency }));
  }
}
