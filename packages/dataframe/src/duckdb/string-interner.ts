const decoder = new TextDecoder();

/** Entries before the table stops taking new strings (they are then decoded each time). */
const MAX_ENTRIES = 1 << 20;

/**
 * One string per distinct short DuckDB string: an entry of a VARCHAR vector is 16 bytes, a length
 * (4 bytes) then, up to 12 bytes long, the bytes themselves padded with zeros, so the four 32-bit
 * words are the string's exact key. An open-addressing table maps them to the decoded string, so a
 * column of a few distinct values costs a lookup per row and no new string.
 */
export class StringInterner {
  #keys = new Uint32Array(4 * 1024);
  #strings: (string | undefined)[] = new Array(1024);
  #size = 0;

  /** The string of entry `i` (its length at most 12) of a vector's words and bytes. */
  intern(words: Uint32Array, bytes: Uint8Array, i: number): string {
    const w0 = words[4 * i] as number;
    const w1 = words[4 * i + 1] as number;
    const w2 = words[4 * i + 2] as number;
    const w3 = words[4 * i + 3] as number;
    const mask = this.#strings.length - 1;
    let slot = hash(w0, w1, w2, w3) & mask;
    for (;;) {
      const found = this.#strings[slot];
      if (found === undefined) break;
      const k = 4 * slot;
      if (this.#keys[k] === w0 && this.#keys[k + 1] === w1 && this.#keys[k + 2] === w2 && this.#keys[k + 3] === w3)
        return found;
      slot = (slot + 1) & mask;
    }
    const text = decodeShort(bytes, 16 * i + 4, w0);
    if (this.#size >= MAX_ENTRIES) return text;
    const k = 4 * slot;
    this.#keys[k] = w0;
    this.#keys[k + 1] = w1;
    this.#keys[k + 2] = w2;
    this.#keys[k + 3] = w3;
    this.#strings[slot] = text;
    if (++this.#size * 2 > this.#strings.length) this.#grow();
    return text;
  }

  #grow(): void {
    const keys = this.#keys;
    const strings = this.#strings;
    this.#keys = new Uint32Array(keys.length * 2);
    this.#strings = new Array(strings.length * 2);
    const mask = this.#strings.length - 1;
    for (let s = 0; s < strings.length; s++) {
      const text = strings[s];
      if (text === undefined) continue;
      const [w0, w1, w2, w3] = [
        keys[4 * s] as number,
        keys[4 * s + 1] as number,
        keys[4 * s + 2] as number,
        keys[4 * s + 3] as number,
      ];
      let slot = hash(w0, w1, w2, w3) & mask;
      while (this.#strings[slot] !== undefined) slot = (slot + 1) & mask;
      this.#keys.set([w0, w1, w2, w3], 4 * slot);
      this.#strings[slot] = text;
    }
  }
}

function hash(w0: number, w1: number, w2: number, w3: number): number {
  const h = Math.imul(
    w0 ^ Math.imul(w1, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca77) ^ Math.imul(w3, 0xc2b2ae3d),
    0x27d4eb2f,
  );
  return h ^ (h >>> 15);
}

/** UTF-8 bytes [at, at + length) as a string; ASCII without the decoder. */
function decodeShort(bytes: Uint8Array, at: number, length: number): string {
  let ascii = true;
  for (let j = at; j < at + length; j++) if ((bytes[j] as number) > 127) ascii = false;
  if (!ascii) return decoder.decode(bytes.subarray(at, at + length));
  let text = '';
  for (let j = at; j < at + length; j++) text += String.fromCharCode(bytes[j] as number);
  return text;
}
