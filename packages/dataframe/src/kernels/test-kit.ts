import { type ColumnTable, fromArrow, table, toArrowIPC } from 'arquero';
import fc from 'fast-check';
import { expect } from 'vitest';

/** Numbers as they come: fractions, small integers, -0, NaN, infinities, and null. */
export const numberCell = fc.oneof(
  fc.double({ noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom(null, null, -0, Number.NaN, Number.POSITIVE_INFINITY),
);

/** Anything a column may hold: numbers, null, undefined, text (some of it numeric), booleans. */
export const mixedCell = fc.oneof(numberCell, fc.constantFrom(undefined, '', '1', 'x', 'ü', true, false));

/** Group keys that Arquero's string keys and a Map must group alike: 1 and "1", null and "null", ... */
export const groupCell = fc.constantFrom('x', 'y', 'ü', '1', 'null', null, undefined, 1, 0, -0, Number.NaN, true);

/** How a generated table is presented to a kernel: as built, behind a filter, or decoded from Arrow. */
export type Presentation = 'plain' | 'filtered' | 'arrow';

function present(df: ColumnTable, how: Presentation): ColumnTable {
  if (how === 'filtered') return df.filter('d.keep');
  if (how === 'arrow') return fromArrow(toArrowIPC(df, { format: 'stream' }));
  return df;
}

/**
 * A table with value columns `a` and `b`, a group column `g` and a boolean `keep`, presented one of
 * three ways. Numeric tables (a, b numbers or null; g text or null) may also come from Arrow.
 */
export function tableArb(kind: 'numeric' | 'mixed') {
  const cell = kind === 'numeric' ? numberCell : mixedCell;
  const group = kind === 'numeric' ? fc.constantFrom('x', 'y', 'ü', null) : groupCell;
  const row = fc.record({ a: cell, b: cell, g: group, keep: fc.boolean() });
  const ways: Presentation[] = kind === 'numeric' ? ['plain', 'filtered', 'arrow'] : ['plain', 'filtered'];
  return fc.tuple(fc.array(row, { maxLength: 70 }), fc.constantFrom(...ways)).map(([rows, how]) => {
    const columns = {
      a: rows.map((r) => r.a),
      b: rows.map((r) => r.b),
      g: rows.map((r) => r.g),
      keep: rows.map((r) => r.keep),
    };
    return present(table(columns), how);
  });
}

/** A number constant as expression source (negative ones parse as unary minus). */
export function numberSource(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** Expects the same column names, rows and values (Object.is: -0, NaN, null and undefined differ). */
export function expectSameTable(actual: ColumnTable, expected: ColumnTable): void {
  expect(actual.columnNames()).toEqual(expected.columnNames());
  expect(actual.numRows()).toBe(expected.numRows());
  for (const name of expected.columnNames()) {
    const got = Array.from(actual.array(name) as ArrayLike<unknown>);
    const want = Array.from(expected.array(name) as ArrayLike<unknown>);
    const row = want.findIndex((value, i) => !Object.is(value, got[i]));
    if (row !== -1) expect({ column: name, row, value: got[row] }).toEqual({ column: name, row, value: want[row] });
  }
}

/** Expects a kernel to have taken the shape, and returns its result. */
export function defined<T>(value: T | undefined): T {
  expect(value).toBeDefined();
  return value as T;
}
