import { open } from 'node:fs/promises';

const CHUNK = 1 << 20;
const QUOTE = 0x22;
const SPACE = 0x20;
const UNDERSCORE = 0x5f;
const PLUS = 0x2b;
const MINUS = 0x2d;
const LF = 0x0a;
const CR = 0x0d;
/** Tab, vertical tab, form feed: whitespace DuckDB's number parser skips, like the space. */
const OTHER_SPACES = [0x09, 0x0b, 0x0c];
/** Past this many spaces or underscores the scan gives up (answers false) rather than look at each. */
const MAX_LOOKS = 100_000;

/**
 * True when no field of the CSV file can be a text that DuckDB's number parser reads and the reader's
 * number pattern refuses, but for inf, infinity and nan (which parse to a number that is not finite,
 * so a check of the parsed value finds them). Besides those words, DuckDB's parser differs from the
 * pattern only by whitespace before or after the number, `_` between digits and a `+-` sign
 * (csv-relation.test.ts tests every short text). With no quote in the file, a field is the bytes
 * between delimiters and line breaks, so the file can be searched for them: no tab, vertical tab or
 * form feed (unless it is the delimiter), no space next to a delimiter, a line break or either end of
 * the file, no `_` after a digit, no `+-`. Answers false (the caller checks each text) when unsure.
 * @param path the file's absolute path
 * @param delimiter the one-character field separator
 */
export async function plainNumberTexts(path: string, delimiter: string): Promise<boolean> {
  const delim = delimiter.charCodeAt(0);
  const spaces = OTHER_SPACES.filter((code) => code !== delim);
  const edge = (byte: number | undefined) => byte === undefined || byte === delim || byte === LF || byte === CR;
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    // each window holds one byte before and after its chunk, so that neighbours are seen across chunks
    const window = Buffer.alloc(CHUNK + 2);
    let looks = 0;
    for (let start = 0; start < size; start += CHUNK) {
      const from = Math.max(0, start - 1);
      const { bytesRead } = await file.read(window, 0, Math.min(CHUNK + 2, size - from), from);
      const bytes = window.subarray(0, bytesRead);
      const first = start - from; // the chunk's first byte in the window
      const end = Math.min(first + CHUNK, bytesRead); // just past its last
      const chunk = bytes.subarray(first, end);
      if (chunk.includes(QUOTE) || spaces.some((code) => chunk.includes(code))) return false;
      // undefined past either end of the file
      const at = (i: number) => (i >= 0 && i < bytesRead ? bytes[i] : undefined);
      for (let i = bytes.indexOf(PLUS, first); i !== -1 && i < end; i = bytes.indexOf(PLUS, i + 1))
        if (at(i + 1) === MINUS) return false;
      for (let i = bytes.indexOf(UNDERSCORE, first); i !== -1 && i < end; i = bytes.indexOf(UNDERSCORE, i + 1)) {
        const before = at(i - 1);
        if (++looks > MAX_LOOKS || (before !== undefined && before >= 0x30 && before <= 0x39)) return false;
      }
      for (let i = bytes.indexOf(SPACE, first); i !== -1 && i < end; i = bytes.indexOf(SPACE, i + 1))
        if (++looks > MAX_LOOKS || edge(at(i - 1)) || edge(at(i + 1))) return false;
    }
    return true;
  } finally {
    await file.close();
  }
}
