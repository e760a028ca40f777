/**
 * `npm run bench`: every benchmark, each with its hand-written baseline measured in the same run.
 * Pass names to run a subset: `npm run bench -- w1 w2`. The opt-in ones (slow, or writing large
 * files) run only when named: `npm run bench -- w4-large w4-1gb`.
 */
import { ensurePolarsBinary } from './polars-binary.js';

interface Benchmark {
  name: string;
  file: string;
  entry: string;
  /** Run only when named. */
  optIn?: boolean;
}

const benchmarks: Benchmark[] = [
  { name: 'startup', file: './startup.js', entry: 'runStartup' },
  { name: 'w1', file: './w1-engine-overhead.js', entry: 'runW1' },
  { name: 'w2', file: './w2-table-pipeline.js', entry: 'runW2' },
  { name: 'w3', file: './w3-per-row.js', entry: 'runW3' },
  { name: 'expressions', file: './expressions.js', entry: 'runExpressions' },
  { name: 'stream-memory', file: './stream-memory.js', entry: 'runStreamMemory' },
  { name: 'editor', file: './editor-open.js', entry: 'runEditor' },
  { name: 'history', file: './history.js', entry: 'runHistory' },
  { name: 'read-csv', file: './read-csv.js', entry: 'runReadCsv' },
  { name: 'read-write', file: './read-write.js', entry: 'runReadWrite' },
  { name: 'server', file: './server.js', entry: 'runServer' },
  { name: 'queue', file: './queue.js', entry: 'runQueue' },
  { name: 'w4', file: './w4-whole-process.js', entry: 'runW4' },
  { name: 'w4-large', file: './w4-whole-process.js', entry: 'runW4Large', optIn: true },
  { name: 'w4-1gb', file: './w4-whole-process.js', entry: 'runW41gb', optIn: true },
];

const wanted = process.argv.slice(2);
const polars = ensurePolarsBinary();
if (polars) console.log(polars);
for (const bench of benchmarks) {
  if (wanted.length > 0 ? !wanted.includes(bench.name) : bench.optIn) continue;
  console.log(`\n== ${bench.name} ==`);
  const module = (await import(bench.file)) as Record<string, () => Promise<unknown>>;
  const run = module[bench.entry];
  if (typeof run !== 'function') throw new Error(`${bench.file} does not export ${bench.entry}()`);
  const result = await run();
  console.log(JSON.stringify(result, null, 2));
}
