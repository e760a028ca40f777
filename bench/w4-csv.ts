// W4's rows as a CSV, shared by the W4 bench and stream-csv: mulberry32(42); id, group g00..g99, value
// in [-1, 1) with 5% empty cells, flag.
import { closeSync, openSync, writeSync } from 'node:fs';
import { mulberry32 } from '../examples/data/mulberry32.js';

/** Writes `rows` rows, or as many as make `bytes` bytes, to `path`, 100,000 lines at a time. */
export function writeW4Csv(path: string, size: { rows: number } | { bytes: number }): void {
  const random = mulberry32(42);
  const names = Array.from({ length: 100 }, (_, g) => `g${String(g).padStart(2, '0')}`);
  const fd = openSync(path, 'w');
  try {
    const header = 'id,group,value,flag';
    let bytes = header.length + 1;
    let lines = [header];
    const enough = (i: number) => ('rows' in size ? i >= size.rows : bytes >= size.bytes);
    for (let i = 0; !enough(i); i++) {
      const r0 = random();
      const r1 = random();
      const r2 = random();
      const r3 = random();
      const value = r1 < 0.05 ? '' : String(r2 * 2 - 1);
      const line = `${i},${names[Math.floor(r0 * 100)]},${value},${r3 < 0.5}`;
      lines.push(line);
      bytes += line.length + 1; // ASCII
      if (lines.length === 100_000) {
        writeSync(fd, `${lines.join('\n')}\n`);
        lines = [];
      }
    }
    if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}
