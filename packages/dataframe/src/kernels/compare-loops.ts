import type { ComparisonOp } from './expression-shape.js';

/** Sets in `words` (BitSet layout, zeroed) the bit of each row i < n with `v[i] op k`. */
type PackLoop = (words: Uint32Array, v: Float64Array, k: number, n: number) => void;

/** The last, partial word shifted to the top bits (row i is bit `0x80000000 >>> (i & 31)`). */
function tail(words: Uint32Array, word: number, n: number): void {
  const width = n & 31;
  if (width !== 0) words[n >>> 5] = word << (32 - width);
}

// One small function per operator, each building a word from 32 comparisons: no test but the
// comparison inside the loop, so it runs fast even before V8 has optimized it (a cold first run).
// biome-ignore-start format: one block per operator reads as a table
/** The comparisons of a numeric column with a number, NaN (and so null in a numeric view) never true. */
export const packCompare: Record<'<' | '<=' | '>' | '>=' | '===' | '!==', PackLoop> = {
  '<': (words, v, k, n) => {
    let word = 0;
    for (let i = 0; i < n; i++) {
      word = (word << 1) | ((v[i] as number) < k ? 1 : 0);
      if ((i & 31) === 31) words[i >>> 5] = word;
    }
    tail(words, word, n);
  },
  '<=': (words, v, k, n) => {
    let word = 0;
    for (let i = 0; i < n; i++) {
      word = (word << 1) | ((v[i] as number) <= k ? 1 : 0);
      if ((i & 31) === 31) words[i >>> 5] = word;
    }
    tail(words, word, n);
  },
  '>': (words, v, k, n) => {
    let word = 0;
    for (let i = 0; i < n; i++) {
      word = (word << 1) | ((v[i] as number) > k ? 1 : 0);
      if ((i & 31) === 31) words[i >>> 5] = word;
    }
    tail(words, word, n);
  },
  '>=': (words, v, k, n) => {
    let word = 0;
    for (let i = 0; i < n; i++) {
      word = (word << 1) | ((v[i] as number) >= k ? 1 : 0);
      if ((i & 31) === 31) words[i >>> 5] = word;
    }
    tail(words, word, n);
  },
  '===': (words, v, k, n) => {
    let word = 0;
    for (let i = 0; i < n; i++) {
      word = (word << 1) | (v[i] === k ? 1 : 0);
      if ((i & 31) === 31) words[i >>> 5] = word;
    }
    tail(words, word, n);
  },
  '!==': (words, v, k, n) => {
    let word = 0;
    for (let i = 0; i < n; i++) {
      word = (word << 1) | (v[i] !== k ? 1 : 0);
      if ((i & 31) === 31) words[i >>> 5] = word;
    }
    tail(words, word, n);
  },
};
// biome-ignore-end format: one block per operator reads as a table

/** The packing loop of an operator between numbers (`==` is `===` there, `!=` is `!==`). */
export function packLoop(op: ComparisonOp): PackLoop {
  return packCompare[op === '==' ? '===' : op === '!=' ? '!==' : op];
}
