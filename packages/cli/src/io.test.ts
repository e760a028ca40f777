import { expect, it } from 'vitest';
import { canRedraw, useColor } from './io.js';

const write = () => true;

it('redraws in place only on a terminal that has a size', () => {
  expect(canRedraw({ write, isTTY: true, columns: 100, rows: 30 })).toBe(true);
  expect(canRedraw({ write, isTTY: true })).toBe(true);
  expect(canRedraw({ write, isTTY: true, columns: 0, rows: 0 })).toBe(false);
  expect(canRedraw({ write })).toBe(false);
});

it('uses colour on a terminal unless NO_COLOR or a dumb terminal says otherwise; FORCE_COLOR forces it', () => {
  expect(useColor({ write, isTTY: true }, {})).toBe(true);
  expect(useColor({ write, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
  expect(useColor({ write, isTTY: true }, { TERM: 'dumb' })).toBe(false);
  expect(useColor({ write }, { FORCE_COLOR: '1' })).toBe(true);
});
