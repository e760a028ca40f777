// DESIGN.md section 7: "for nulls it is SQL's": arithmetic and op functions given a null give null; a
// comparison with null is not true; == null / != null test for null; ?? is coalesce; `d.discount || 0`
// keeps working. Each rule on a table where x is 2, null and undefined (both read as null).
import { table } from 'arquero';
import { describe, expect, it } from 'vitest';
import { evaluateDerive, evaluateFilter } from './evaluate-table.js';
import { parseExpression } from './expression.js';

const df = table({ id: [1, 2, 3], x: [2, null, undefined], s: ['Ab', null, 'c'], f: [true, null, false] });

/** The values of an expression on the three rows. */
function values(expression: string): unknown[] {
  return Array.from(evaluateDerive(df, [['v', parseExpression(expression)]]).array('v') as ArrayLike<unknown>);
}

/** The ids of the rows a filter keeps. */
function kept(expression: string): unknown[] {
  return Array.from(evaluateFilter(df, parseExpression(expression)).array('id') as ArrayLike<unknown>);
}

describe('null semantics', () => {
  it('arithmetic given a null gives null (JavaScript would give 0 for null * 2)', () => {
    expect(values('d.x * 2')).toEqual([4, null, null]);
    expect(values('d.x + 1')).toEqual([3, null, null]);
    expect(values('-d.x')).toEqual([-2, null, null]);
    expect(values('d.x ** 2')).toEqual([4, null, null]);
    expect(values('d.s + "!"')).toEqual(['Ab!', null, 'c!']);
    expect(values('null * 2')).toEqual([null, null, null]);
  });

  it('op functions given a null give null', () => {
    expect(values('op.abs(d.x)')).toEqual([2, null, null]);
    expect(values('op.lower(d.s)')).toEqual(['ab', null, 'c']);
    expect(values('op.startswith(d.s, "A")')).toEqual([true, null, false]);
    expect(values('op.test(d.s, "(?i)^a")')).toEqual([true, null, false]);
    expect(values('op.greatest(d.x, 5)')).toEqual([5, null, null]);
  });

  it('the null-handling functions see the null', () => {
    expect(values('op.coalesce(d.x, d.id, 0)')).toEqual([2, 2, 3]);
    expect(values('op.is_null(d.x)')).toEqual([false, true, true]);
    expect(values('op.is_valid(d.x)')).toEqual([true, false, false]);
  });

  it('a comparison with null is null, so a filter drops the row, negated or not', () => {
    expect(values('d.x > 1')).toEqual([true, null, null]);
    expect(kept('d.x > -1')).toEqual([1]);
    expect(kept('!(d.x > -1)')).toEqual([]);
    expect(kept('d.x != 5')).toEqual([1]);
    expect(kept('d.x == d.x')).toEqual([1]);
    expect(kept('d.x < null')).toEqual([]);
  });

  it('== null and != null (and === / !==) test for null: true or false, never null', () => {
    expect(values('d.x == null')).toEqual([false, true, true]);
    expect(values('null === d.x')).toEqual([false, true, true]);
    expect(values('d.x != null')).toEqual([true, false, false]);
    expect(kept('d.x !== null')).toEqual([1]);
  });

  it('?? is coalesce and || keeps `d.discount || 0` working', () => {
    expect(values('d.x ?? 0')).toEqual([2, 0, 0]);
    expect(values('d.x || 0')).toEqual([2, 0, 0]);
    expect(values('d.id * (1 - (d.x || 0))')).toEqual([-1, 2, 3]);
    expect(values('0 || d.x')).toEqual([2, null, null]);
  });

  it('&& is false when either side is false, else null when either is null (SQL)', () => {
    expect(values('d.f && true')).toEqual([true, null, false]);
    expect(values('d.f && false')).toEqual([false, false, false]);
    expect(values('!d.f')).toEqual([false, null, true]);
    expect(kept('!(d.f && false)')).toEqual([1, 2, 3]);
  });

  it('a null condition takes the else branch', () => {
    expect(values('d.x > 1 ? "big" : "other"')).toEqual(['big', 'other', 'other']);
  });

  it('aggregates skip nulls; with no value they give null (count gives 0)', () => {
    expect(values('op.sum(d.x)')).toEqual([2, 2, 2]);
    expect(values('op.mean(d.x)')).toEqual([2, 2, 2]);
    expect(values('op.valid(d.x)')).toEqual([1, 1, 1]);
    expect(values('op.invalid(d.x)')).toEqual([2, 2, 2]);
    expect(values('op.count()')).toEqual([3, 3, 3]);
    expect(values('op.max(d.x + null)')).toEqual([null, null, null]);
    const empty = table({ x: [] as number[] });
    expect(evaluateDerive(empty, [['v', parseExpression('op.count()')]]).numRows()).toBe(0);
  });
});
