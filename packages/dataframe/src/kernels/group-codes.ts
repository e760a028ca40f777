// Group keys as dictionary codes: each distinct value of the group column gets a code (0, 1, ...) in
// order of first appearance. Text keys go through a typed hash table (a hash of the characters, codes
// in an Int32Array, `===` on a hit) rather than a Map: a Map lookup is a builtin call V8 does not
// inline, about a third more per row once optimized (and no less on a cold first run).

/** The code of each row (by position in the row list), the key of each code and its number of rows. */
export interface GroupCodes {
  ids: Int32Array;
  keys: unknown[];
  sizes: number[];
}

/** Characters hashed, at the end of a longer string (its length is hashed too). */
const TAIL = 32;
/** Probes for one key beyond which the Map groups the rows instead (a hash that cannot tell the keys apart). */
const MAX_PROBES = 32;

/** The table twice as large, each text key's code placed again by its hash (slot: code + 1, 0 empty). */
function grow(slots: Int32Array, hashes: readonly number[]): Int32Array<ArrayBuffer> {
  const out = new Int32Array(slots.length * 2);
  const mask = out.length - 1;
  for (const entry of slots) {
    if (entry === 0) continue;
    let slot = (hashes[entry - 1] as number) & mask;
    while (out[slot] !== 0) slot = (slot + 1) & mask;
    out[slot] = entry;
  }
  return out;
}

/** Appends a key with no rows yet; its code. */
function newKey(keys: unknown[], sizes: number[], key: unknown): number {
  sizes.push(0);
  return keys.push(key) - 1;
}

/**
 * The codes by the hash table, for keys that are text, null or undefined; undefined at the first key
 * of another type, or when a key takes more than MAX_PROBES probes (many keys of one length that end
 * alike, which the hash cannot tell apart): the Map then groups every row.
 */
function textCodes(values: ArrayLike<unknown>, rows: Uint32Array): GroupCodes | undefined {
  const n = rows.length;
  const ids = new Int32Array(n);
  const keys: unknown[] = [];
  const sizes: number[] = [];
  const hashes: number[] = [];
  let slots = new Int32Array(256);
  let mask = slots.length - 1;
  let nullId = -1;
  let undefinedId = -1;
  for (let k = 0; k < n; k++) {
    const v = values[rows[k] as number];
    let id = -1;
    if (typeof v === 'string') {
      // The hash, inline (a call per row costs as much again before V8 optimizes the loop): of the
      // length and the last TAIL characters (keys often share a prefix; the Map takes over when too
      // many keys share their tail too).
      const length = v.length;
      let h = length;
      for (let i = length > TAIL ? length - TAIL : 0; i < length; i++) h = Math.imul(h ^ v.charCodeAt(i), 0x01000193);
      h ^= h >>> 16;
      let slot = h & mask;
      let probes = 0;
      for (let entry = slots[slot] as number; entry !== 0; entry = slots[slot] as number) {
        if (keys[entry - 1] === v) {
          id = entry - 1;
          break;
        }
        slot = (slot + 1) & mask;
        if (++probes === MAX_PROBES) return undefined;
      }
      if (id === -1) {
        id = keys.push(v) - 1;
        sizes.push(0);
        hashes[id] = h;
        slots[slot] = id + 1;
        if (keys.length * 2 > slots.length) {
          slots = grow(slots, hashes);
          mask = slots.length - 1;
        }
      }
    } else if (v === null) {
      if (nullId === -1) nullId = newKey(keys, sizes, v);
      id = nullId;
    } else if (v === undefined) {
      if (undefinedId === -1) undefinedId = newKey(keys, sizes, v);
      id = undefinedId;
    } else return undefined;
    ids[k] = id;
    sizes[id] = (sizes[id] as number) + 1;
  }
  return { ids, keys, sizes };
}

/** The codes by a Map keyed on the values; undefined at a key that is not text, a number, a boolean or null. */
function mapCodes(values: ArrayLike<unknown>, rows: Uint32Array): GroupCodes | undefined {
  const ids = new Int32Array(rows.length);
  const keys: unknown[] = [];
  const sizes: number[] = [];
  const index = new Map<unknown, number>();
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k] as number];
    let id = index.get(v);
    if (id === undefined) {
      const type = typeof v;
      if (v !== null && v !== undefined && type !== 'string' && type !== 'number' && type !== 'boolean') return;
      id = keys.push(v) - 1;
      sizes.push(0);
      index.set(v, id);
    }
    ids[k] = id;
    sizes[id] = (sizes[id] as number) + 1;
  }
  return { ids, keys, sizes };
}

/**
 * The group code of each row of `rows` (underlying row numbers) by its value in `values`, codes in
 * order of first appearance. Keys are told apart as a Map tells them apart (SameValueZero: NaN is one
 * key, 0 and -0 are one, 1 and "1" are two), which groups as Arquero's string keys do. Text keys (with
 * null and undefined) go through the hash table, other columns through a Map; a key of another type (a
 * date, an object) gives undefined.
 */
export function groupCodes(values: ArrayLike<unknown>, rows: Uint32Array): GroupCodes | undefined {
  return textCodes(values, rows) ?? mapCodes(values, rows);
}
