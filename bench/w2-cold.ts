/**
 * One cold W2 run in a fresh process: `node --expose-gc --import tsx bench/w2-cold.ts <contender> <rows>`
 * generates the data, builds the contender's input and collects the garbage (not timed), times the five
 * steps once and prints `{ ms, cpuMs, checksum, rows }` as JSON (cpuMs: the CPU time of all its threads;
 * `{ absent: true }` when Polars is not installed).
 */
import {
  type Columns,
  checksum,
  duckdbRunner,
  type GroupRow,
  generate,
  handArquero,
  inputTable,
  loadPolars,
  polarsRunner,
  resultRows,
  stepwiseRunner,
  typedArrays,
} from './w2-contenders.js';

/** The Node contenders of the cold runs. */
export const NODE_CONTENDERS = ['stepwise', 'arquero', 'typedArray', 'duckdb', 'polars'] as const;

interface Prepared {
  run: () => Promise<GroupRow[]> | GroupRow[];
  loadMs?: number;
}

async function prepare(name: string, cols: Columns): Promise<Prepared | undefined> {
  switch (name) {
    case 'stepwise': {
      const run = stepwiseRunner(await inputTable(cols));
      return { run: async () => resultRows(await run()) };
    }
    case 'arquero': {
      const input = await inputTable(cols);
      return { run: () => resultRows(handArquero(input)) };
    }
    case 'typedArray':
      return { run: () => typedArrays(cols) };
    case 'duckdb':
      return duckdbRunner(cols);
    case 'polars': {
      const pl = await loadPolars();
      return pl && { run: polarsRunner(pl, cols) };
    }
    default:
      throw new Error(`w2-cold: unknown contender "${name}"; one of ${NODE_CONTENDERS.join(', ')}`);
  }
}

const [name = '', rows = '1000000'] = process.argv.slice(2);
const cols = generate(Number(rows));
const prepared = await prepare(name, cols);
// Collect the generator's garbage before the timer starts (run with --expose-gc): a million boxed
// values were just allocated, and the first scavenge inside the timed steps would otherwise copy
// them to the old generation, ~10-30 ms charged to whichever Node contender runs (pandas has none).
(globalThis as { gc?: () => void }).gc?.();
if (!prepared) {
  process.stdout.write(JSON.stringify({ absent: true }));
} else {
  // `performance` is loaded on first use (node:perf_hooks, a few ms of CPU): before the CPU clock starts
  performance.now();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await prepared.run();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(
    JSON.stringify({ ms, cpuMs, loadMs: prepared.loadMs, checksum: checksum(result), rows: result }),
  );
}
