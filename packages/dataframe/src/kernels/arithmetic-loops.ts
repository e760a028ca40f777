import type { ArithmeticOp } from './expression-shape.js';

/** out[i] = a[i] op b[i], a[i] op c or c op b[i] for i < n. */
type Loop<A, B> = (out: Float64Array, a: A, b: B, n: number) => void;

// One small function per operator and operand kind: each loop does one operation per row, with no
// test inside, so it runs fast even before V8 has optimized it (a cold first run) and optimizes alone.
// biome-ignore-start format: one line per operator reads as a table
/** Both operands columns. */
export const columnColumn: Record<ArithmeticOp, Loop<Float64Array, Float64Array>> = {
  '+': (out, a, b, n) => {
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) + (b[i] as number);
  },
  '-': (out, a, b, n) => {
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) - (b[i] as number);
  },
  '*': (out, a, b, n) => {
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) * (b[i] as number);
  },
  '/': (out, a, b, n) => {
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) / (b[i] as number);
  },
  '%': (out, a, b, n) => {
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) % (b[i] as number);
  },
};

/** A column, then a constant. */
export const columnConstant: Record<ArithmeticOp, Loop<Float64Array, number>> = {
  '+': (out, a, c, n) => {
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) + c;
  },
  '-': (out, a, c, n) => {
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) - c;
  },
  '*': (out, a, c, n) => {
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) * c;
  },
  '/': (out, a, c, n) => {
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) / c;
  },
  '%': (out, a, c, n) => {
    for (let i = 0; i < n; i++) out[i] = (a[i] as number) % c;
  },
};

/** A constant, then a column. */
export const constantColumn: Record<ArithmeticOp, Loop<number, Float64Array>> = {
  '+': (out, c, b, n) => {
    for (let i = 0; i < n; i++) out[i] = c + (b[i] as number);
  },
  '-': (out, c, b, n) => {
    for (let i = 0; i < n; i++) out[i] = c - (b[i] as number);
  },
  '*': (out, c, b, n) => {
    for (let i = 0; i < n; i++) out[i] = c * (b[i] as number);
  },
  '/': (out, c, b, n) => {
    for (let i = 0; i < n; i++) out[i] = c / (b[i] as number);
  },
  '%': (out, c, b, n) => {
    for (let i = 0; i < n; i++) out[i] = c % (b[i] as number);
  },
};
// biome-ignore-end format: one line per operator reads as a table

/** out[i] = (a[i] op1 c) op2 k for i < n. */
type ScaleShiftLoop = (out: Float64Array, a: Float64Array, c: number, k: number, n: number) => void;

// biome-ignore-start format: one line per pair of operators reads as a table
/**
 * A column scaled by a constant, then shifted by another (`d.x * 2 + 1`), in one pass: the same two
 * roundings as the two loops above one after the other (JavaScript never fuses a multiply and an add).
 */
export const scaleShift: Record<'*' | '/', Record<'+' | '-', ScaleShiftLoop>> = {
  '*': {
    '+': (out, a, c, k, n) => {
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) * c + k;
    },
    '-': (out, a, c, k, n) => {
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) * c - k;
    },
  },
  '/': {
    '+': (out, a, c, k, n) => {
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) / c + k;
    },
    '-': (out, a, c, k, n) => {
      for (let i = 0; i < n; i++) out[i] = (a[i] as number) / c - k;
    },
  },
};
// biome-ignore-end format: one line per pair of operators reads as a table
