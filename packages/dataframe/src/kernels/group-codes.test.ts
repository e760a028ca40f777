import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GroupCodes, groupCodes } from './group-codes.js';

/** The codes by definition: a Map from each value to the order of its first appearance. */
function reference(values: readonly unknown[], rows: Uint32Array): GroupCodes {
  const index = new Map<unknown, number>();
  const ids = new Int32Array(rows.length);
  const keys: unknown[] = [];
  const sizes: number[] = [];
  rows.forEach((row, k) => {
    const v = values[row];
    if (!index.has(v)) {
      index.set(v, keys.length);
      keys.push(v);
      sizes.push(0);
    }
    const id = index.get(v) as number;
    ids[k] = id;
    sizes[id] = (sizes[id] as number) + 1;
  });
  return { ids, keys, sizes };
}

const allRows = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
const tail = 'x'.repeat(40);

/** Keys that look alike: one character apart, the same characters in another order, a shared tail. */
const alike = fc.constantFrom('', 'a', 'b', 'ab', 'ba', 'aa', 'g01', 'g10', 'G01', 'null', 'undefined', 'NaN', '1');
const longAlike = fc.tuple(fc.constantFrom('p', 'q', 'pp'), fc.constantFrom('', 'y')).map(([h, t]) => h + tail + t);
const key = fc.oneof(
  alike,
  longAlike,
  fc.string({ maxLength: 40 }),
  fc.constantFrom(null, undefined, 1, 0, -0, Number.NaN, true, false),
);

describe('groupCodes', () => {
  it('numbers the keys in order of first appearance, as a Map tells them apart', () => {
    fc.assert(
      fc.property(fc.array(key, { maxLength: 200 }), fc.boolean(), (values, every) => {
        const rows = every ? allRows(values.length) : allRows(values.length).filter((i) => i % 3 !== 1);
        expect(groupCodes(values, rows)).toEqual(reference(values, rows));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps null, undefined and the text "null" apart in a text column', () => {
    const values = ['a', null, 'null', undefined, 'a', null, 'undefined', undefined];
    const codes = groupCodes(values, allRows(values.length));
    expect(codes?.keys).toEqual(['a', null, 'null', undefined, 'undefined']);
    expect(Array.from(codes?.ids ?? [])).toEqual([0, 1, 2, 3, 0, 1, 4, 3]);
    expect(codes?.sizes).toEqual([2, 2, 1, 2, 1]);
  });

  it('gives every key its own code with many distinct keys (the table grows)', () => {
    const values = Array.from({ length: 30_000 }, (_, i) => `k${i % 12_345}`);
    const rows = allRows(values.length);
    const codes = groupCodes(values, rows);
    expect(codes?.keys.length).toBe(12_345);
    expect(codes).toEqual(reference(values, rows));
  });

  it('tells apart many keys that share their length and last 32 characters (the Map takes over)', () => {
    const values = Array.from({ length: 500 }, (_, i) => `${String(i % 200).padStart(3, '0')}${tail}`);
    const rows = allRows(values.length);
    expect(groupCodes(values, rows)).toEqual(reference(values, rows));
  });

  it('gives undefined for a key that is not text, a number, a boolean or null', () => {
    expect(groupCodes(['a', new Date(0)], allRows(2))).toBeUndefined();
    expect(groupCodes([1, { a: 1 }], allRows(2))).toBeUndefined();
    expect(groupCodes([1n], allRows(1))).toBeUndefined();
  });
});
