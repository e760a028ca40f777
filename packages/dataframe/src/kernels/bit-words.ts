import type { BitSet } from 'arquero';
import { arquero } from '../arquero/load-arquero.js';

/**
 * The 32-bit words of an Arquero 8 BitSet (declared in its typings as `_bits`): row i is bit
 * `0x80000000 >>> (i & 31)` of word `i >> 5`. Kernels build filters a word at a time through this.
 */
export function bitWords(bits: BitSet): Uint32Array {
  return bits._bits;
}

/** A BitSet of n rows, none set. */
export function emptyRows(n: number): BitSet {
  return new (arquero().BitSet)(n);
}

/**
 * The rows `i` of `rows` (all rows when null) with `keep[i] !== 0`, as a BitSet for `df.create({ filter })`.
 * Kernels fill `keep` in a loop of their own (one call site per kernel keeps each loop monomorphic).
 */
export function packRows(keep: Uint8Array, rows: BitSet | null): BitSet {
  const n = keep.length;
  const out = emptyRows(n);
  const words = bitWords(out);
  const within = rows && bitWords(rows);
  for (let k = 0; k < words.length; k++) {
    const base = k << 5;
    const width = Math.min(32, n - base);
    let word = 0;
    for (let j = 0; j < width; j++) word = (word << 1) | (keep[base + j] as number);
    word = width === 32 ? word : word << (32 - width);
    words[k] = within ? word & (within[k] as number) : word;
  }
  return out;
}

/** The rows in `rows` (all of `0..n-1` when null), ascending. */
export function keptRows(n: number, rows: BitSet | null): Uint32Array {
  if (!rows) {
    // A plain loop: Uint32Array.from with a mapping function is ten times slower on a million rows.
    const all = new Uint32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const words = bitWords(rows);
  const list = new Uint32Array(rows.count());
  let m = 0;
  for (let k = 0; k < words.length; k++) {
    const base = k << 5;
    let word = words[k] as number;
    while (word !== 0) {
      const j = Math.clz32(word);
      list[m++] = base + j;
      word &= ~(0x80000000 >>> j);
    }
  }
  return list;
}

/**
 * The rows of `rows` (all of `0..n-1` when null) whose bit in `drop` (words in the BitSet layout) is
 * clear, a word at a time.
 */
export function dropRows(n: number, rows: BitSet | null, drop: Uint32Array): BitSet {
  const out = emptyRows(n);
  const words = bitWords(out);
  const within = rows && bitWords(rows);
  for (let k = 0; k < words.length; k++) {
    const width = Math.min(32, n - (k << 5));
    const all = width === 32 ? 0xffffffff : 0xffffffff << (32 - width);
    words[k] = (within ? (within[k] as number) : all) & ~(drop[k] as number);
  }
  return out;
}

/** words[k] &= within[k] for every word: the rows set in both. */
export function andWords(words: Uint32Array, within: Uint32Array): void {
  for (let k = 0; k < words.length; k++) words[k] = (words[k] as number) & (within[k] as number);
}

/** True when some word has a bit set in both. */
export function anyCommon(words: Uint32Array, within: Uint32Array): boolean {
  for (let k = 0; k < words.length; k++) if (((words[k] as number) & (within[k] as number)) !== 0) return true;
  return false;
}
