/**
 * W4, the table job as whole processes: W2's data as a CSV (mulberry32(42); id, group "g00".."g99",
 * value with 5% empty cells, flag), generated once and kept in bench/w4/data (git-ignored), then
 * read → drop rows whose value is null → keep value > 0.2 → value2 = value * 2 + 1 → count and
 * mean(value2) per group → sort by group → Parquet. Timed in one run, in turns, each a process of its
 * own from spawn to exit: `stepwise run bench/w4/workflow.json` (the project bench/w4/stepwise.config.ts,
 * its default file store, emptied before each run), the same with `--store memory` and with
 * `STEPWISE_PUSHDOWN=off` (each step in turn, in JavaScript: the path pushdown replaced), a DuckDB script
 * (one query, bench/w4/duckdb-w4.mjs; the DuckDB of @stepwise/dataframe) and a Polars for Node script
 * (bench/w4/polars-w4.mjs: step by step, and as one lazy query). Peak RSS of each from /usr/bin/time,
 * and its floor (rssFloor): Node alone, and Node with DuckDB loaded and a database open. The 1M run
 * adds the DuckDB script with read_csv's buffer_size as Stepwise gives it (duckdbStepwiseBuffer).
 * Every Parquet result is read back with DuckDB and must agree with DuckDB's: the same groups, the same
 * counts, means within 1e-12.
 *
 * - `npm run bench -- w4`: 1,000,000 rows (about 35 MB), median of 5 (W4_RUNS), after one warm-up
 *   round. Targets (issue 14): Stepwise at most 1.15x DuckDB and 1.5x Polars; peak RSS at most 2.5x the file.
 * - `npm run bench -- w4-large`: 10,000,000 rows (about 350 MB), median of 3, no warm-up. Opt-in.
 * - `npm run bench -- w4-1gb`: a 1 GB CSV through read, filter, aggregate, write (bench/w4/workflow-1gb.json)
 *   with Stepwise's heap bounded by --max-old-space-size=512 (W4_HEAP_MB), and the streaming variant
 *   of the workflow; DuckDB and lazy Polars beside it, one run each. Opt-in: generating the file takes
 *   a minute or more the first time.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeW4Csv } from './w4-csv.js';

const w4 = fileURLToPath(new URL('./w4/', import.meta.url));
const data = join(w4, 'data');
const bin = fileURLToPath(new URL('../packages/cli/bin/stepwise.js', import.meta.url));
const TIME = '/usr/bin/time';

/** One process of a comparison: its node arguments (run from bench/w4) and the Parquet file it writes. */
interface Peer {
  name: string;
  args: string[];
  out: string;
  env?: Record<string, string>;
  /** A file the process writes its heap figures to (bench/w4/heap-probe.mjs). */
  heapProbe?: string;
}

interface Sample {
  ms: number;
  /** User + system CPU time (ms): steadier than wall time on a busy machine, but every thread counts. */
  cpuMs: number | null;
  peakRssMb: number | null;
  /** null when the process exited 0. */
  failure: string | null;
}

interface PeerResult {
  /** Median milliseconds of the successful runs. */
  ms: number | null;
  bestMs: number | null;
  runsMs: number[];
  /** Median user + system CPU milliseconds of the successful runs (all threads). */
  cpuMs: number | null;
  /** The largest peak RSS over the runs (MB), from /usr/bin/time. */
  peakRssMb: number | null;
  /** The median of the runs' peak RSS (MB): steadier than the largest on a busy machine. */
  medianPeakRssMb: number | null;
  /** The largest heap figures the probe saw (w4-1gb). */
  heap?: Record<string, number>;
  failure?: string;
}

interface Group {
  group: string;
  count: number;
  mean: number;
}

/** Where the results agree with DuckDB's: the groups, counts and means (to 1e-12). */
interface Agreement {
  /** Every peer that completed wrote DuckDB's result (a failed run is reported under its peer, not here). */
  agree: boolean;
  groups: number;
  rowsKept: number;
  /** Largest |mean - DuckDB's mean| of each peer. */
  maxMeanDiff: Record<string, number>;
  problems: string[];
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a && b ? Math.round((a / b) * 100) / 100 : null;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The machine's load (1, 5, 15 minutes), as `uptime` shows it: the machine is shared. */
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

/**
 * The CSV of `name` in bench/w4/data: `rows` rows, or as many as make `bytes` bytes. Generated once
 * (through a `.partial` file renamed at the end, so a stopped generation is not taken for a file).
 */
function ensureCsv(name: string, size: { rows: number } | { bytes: number }): { path: string; generatedMs?: number } {
  const path = join(data, name);
  if (existsSync(path)) return { path };
  mkdirSync(join(data, 'out'), { recursive: true });
  const start = performance.now();
  writeW4Csv(`${path}.partial`, size);
  renameSync(`${path}.partial`, path);
  return { path, generatedMs: Math.round(performance.now() - start) };
}

function failureOf(result: SpawnSyncReturns<string>): string | null {
  if (result.error) return String(result.error);
  if (result.status === 0) return null;
  const lines = result.stderr
    .trim()
    .split('\n')
    .filter((line) => !line.startsWith('Command exited') && !line.startsWith('Command terminated'));
  // V8's own line when the heap is full, not the native stack after it
  const fatal = lines.find((line) => /FATAL ERROR|heap out of memory/i.test(line));
  return `exit ${result.status ?? result.signal}: ${(fatal ?? lines.slice(-3).join(' | ')).trim().slice(0, 400)}`;
}

/** One run of a peer: its output removed first (and Stepwise's store emptied), then timed from spawn to exit. */
function runOnce(peer: Peer): Sample {
  rmSync(join(data, peer.out), { force: true });
  rmSync(join(w4, '.stepwise'), { recursive: true, force: true });
  const rssFile = join(data, `.rss-${peer.name}`);
  rmSync(rssFile, { force: true });
  const timed = existsSync(TIME);
  const [command, args] = timed
    ? [TIME, ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...peer.args]]
    : [process.execPath, peer.args];
  const start = performance.now();
  const result = spawnSync(command, args, {
    cwd: w4,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, ...peer.env, FORCE_COLOR: '0' },
  });
  const ms = performance.now() - start;
  let peakRssMb: number | null = null;
  let cpuMs: number | null = null;
  if (timed && existsSync(rssFile)) {
    // the last line (a failed command's "Command exited with non-zero status" comes first)
    const [kb, user, system] = (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
    if (Number.isFinite(kb)) peakRssMb = Math.round((kb as number) / 1024);
    if (Number.isFinite(user) && Number.isFinite(system))
      cpuMs = Math.round(((user as number) + (system as number)) * 1000);
  }
  let failure = failureOf(result);
  if (failure === null && !existsSync(join(data, peer.out))) failure = `exit 0 but ${peer.out} was not written`;
  return { ms, cpuMs, peakRssMb, failure };
}

/** `warmup` untimed rounds, then `runs` rounds; each round runs every peer once, in turn. */
function compare(peers: Peer[], runs: number, warmup: number): Record<string, PeerResult> {
  const samples = new Map<string, Sample[]>(peers.map((peer) => [peer.name, []]));
  for (let round = 0; round < warmup + runs; round++) {
    for (const peer of peers) {
      const sample = runOnce(peer);
      console.error(
        `  ${round < warmup ? 'warm-up' : `run ${round - warmup + 1}/${runs}`} ${peer.name}: ${Math.round(sample.ms)} ms, ` +
          `cpu ${sample.cpuMs ?? '?'} ms, ${sample.peakRssMb ?? '?'} MB${sample.failure ? `, FAILED ${sample.failure}` : ''}`,
      );
      if (round >= warmup || sample.failure) (samples.get(peer.name) as Sample[]).push(sample);
    }
  }
  const results: Record<string, PeerResult> = {};
  for (const peer of peers) {
    const all = samples.get(peer.name) as Sample[];
    const ok = all.filter((s) => s.failure === null).map((s) => s.ms);
    const cpu = median(all.filter((s) => s.failure === null && s.cpuMs !== null).map((s) => s.cpuMs as number));
    const rss = all.map((s) => s.peakRssMb).filter((x): x is number => x !== null);
    const failed = all.find((s) => s.failure !== null);
    const med = median(ok);
    results[peer.name] = {
      ms: med === null ? null : Math.round(med),
      bestMs: ok.length > 0 ? Math.round(Math.min(...ok)) : null,
      runsMs: ok.map(Math.round),
      cpuMs: cpu === null ? null : Math.round(cpu),
      peakRssMb: rss.length > 0 ? Math.max(...rss) : null,
      medianPeakRssMb: median(rss),
      ...(peer.heapProbe && existsSync(peer.heapProbe)
        ? { heap: JSON.parse(readFileSync(peer.heapProbe, 'utf8')) as Record<string, number> }
        : {}),
      ...(failed ? { failure: failed.failure as string } : {}),
    };
  }
  return results;
}

/** Each peer's Parquet result read back with DuckDB, checked against DuckDB's own. */
async function agreement(outputs: Record<string, string>, reference: string): Promise<Agreement> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const problems: string[] = [];
  const maxMeanDiff: Record<string, number> = {};
  try {
    const read = async (file: string): Promise<Group[]> => {
      const path = join(data, file).replace(/'/g, "''");
      const reader = await connection.runAndReadAll(
        `SELECT "group"::VARCHAR AS "group", count::DOUBLE AS count, mean::DOUBLE AS mean FROM read_parquet('${path}') ORDER BY "group"`,
      );
      return reader.getRowObjectsJS() as unknown as Group[];
    };
    const expected = existsSync(join(data, reference)) ? await read(reference) : [];
    if (expected.length === 0) problems.push(`the reference ${reference} is missing or empty`);
    for (const [name, file] of Object.entries(outputs)) {
      if (file === reference) continue;
      if (!existsSync(join(data, file))) {
        problems.push(`${name}: no result`);
        continue;
      }
      const got = await read(file);
      let diff = 0;
      if (got.length !== expected.length) problems.push(`${name}: ${got.length} groups, DuckDB ${expected.length}`);
      got.forEach((row, i) => {
        const want = expected[i];
        if (!want || row.group !== want.group || row.count !== want.count)
          problems.push(`${name}: row ${i} ${JSON.stringify(row)}, DuckDB ${JSON.stringify(want)}`);
        else diff = Math.max(diff, Math.abs(row.mean - want.mean));
      });
      maxMeanDiff[name] = diff;
      if (diff > 1e-12) problems.push(`${name}: a mean differs from DuckDB's by ${diff}`);
    }
    return {
      agree: problems.length === 0,
      groups: expected.length,
      rowsKept: expected.reduce((sum, row) => sum + row.count, 0),
      maxMeanDiff,
      problems: problems.slice(0, 10),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The Parquet file of each peer, but of one that failed and left none (its failure is reported with it). */
function completedOutputs(peers: Peer[], results: Record<string, PeerResult>): Record<string, string> {
  return Object.fromEntries(
    peers
      .filter((peer) => results[peer.name]?.failure === undefined || existsSync(join(data, peer.out)))
      .map((peer) => [peer.name, peer.out]),
  );
}

/** The W4 peers over `csv`, their outputs tagged `tag`. */
function w4Peers(csv: string, tag: string, variants: boolean): Peer[] {
  const stepwise = (name: string, extra: string[], env?: Record<string, string>): Peer => ({
    name,
    args: [
      bin,
      'run',
      'workflow.json',
      '--set',
      `load.path=${csv}`,
      '--set',
      `save.path=out/${name}-${tag}.parquet`,
      ...extra,
    ],
    out: `out/${name}-${tag}.parquet`,
    ...(env ? { env } : {}),
  });
  const script = (name: string, file: string, ...mode: string[]): Peer => ({
    name,
    args: [file, join(data, csv), join(data, `out/${name}-${tag}.parquet`), ...mode],
    out: `out/${name}-${tag}.parquet`,
  });
  return [
    stepwise('stepwise', []),
    ...(variants
      ? [
          stepwise('stepwiseMemoryStore', ['--store', 'memory']),
          stepwise('stepwisePushdownOff', [], { STEPWISE_PUSHDOWN: 'off' }),
        ]
      : []),
    script('duckdb', 'duckdb-w4.mjs', 'w4'),
    ...(variants ? [script('duckdbStepwiseBuffer', 'duckdb-w4.mjs', 'w4', 'stepwise-buffer')] : []),
    script('polars', 'polars-w4.mjs', 'eager'),
    script('polarsLazy', 'polars-w4.mjs', 'lazy'),
  ];
}

/** Peak RSS (MB, from /usr/bin/time) of a node process run with `args` from bench/w4, the least of 3 runs. */
function idleRssMb(args: string[]): number | null {
  if (!existsSync(TIME)) return null;
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const result = spawnSync(TIME, ['-f', '%M', process.execPath, ...args], { cwd: w4, encoding: 'utf8' });
    const kb = Number(result.stderr.trim().split('\n').pop());
    if (result.status === 0 && Number.isFinite(kb)) samples.push(Math.round(kb / 1024));
  }
  return samples.length > 0 ? Math.min(...samples) : null;
}

/**
 * What no peer's peak RSS goes under: Node doing nothing, and Node with DuckDB loaded and an
 * in-memory database open (duckdb-w4.mjs `open`), before a byte of the file is read.
 */
function rssFloor(fileMb: number) {
  const nodeMb = idleRssMb(['-e', '0']);
  const nodeWithDuckdbMb = idleRssMb(['duckdb-w4.mjs', '-', '-', 'open']);
  return {
    nodeMb,
    nodeWithDuckdbMb,
    nodeWithDuckdbOverFile: nodeWithDuckdbMb === null ? null : round1(nodeWithDuckdbMb / fileMb),
  };
}

async function runW4At(rows: number, runs: number, warmup: number, variants: boolean) {
  const tag = rows >= 1_000_000 && rows % 1_000_000 === 0 ? `${rows / 1_000_000}m` : String(rows);
  const csv = `w4-${tag}.csv`;
  const { generatedMs } = ensureCsv(csv, { rows });
  const fileMb = round1(statSync(join(data, csv)).size / 1e6);
  const loadBefore = load();
  const startedAt = new Date().toISOString();
  const peers = w4Peers(csv, tag, variants);
  const results = compare(peers, runs, warmup);
  const check = await agreement(completedOutputs(peers, results), `out/duckdb-${tag}.parquet`);
  const stepwise = results.stepwise as PeerResult;
  return {
    startedAt,
    load: { before: loadBefore, after: load() },
    rows,
    fileMb,
    ...(generatedMs === undefined ? {} : { csvGeneratedMs: generatedMs }),
    runs,
    peers: results,
    stepwiseOver: {
      duckdb: ratio(stepwise.ms, results.duckdb?.ms),
      polars: ratio(stepwise.ms, results.polars?.ms),
      polarsLazy: ratio(stepwise.ms, results.polarsLazy?.ms),
    },
    /** The same ratios in CPU time (user + system, all threads): less disturbed by the machine's load. */
    stepwiseCpuOver: {
      duckdb: ratio(stepwise.cpuMs, results.duckdb?.cpuMs),
      polars: ratio(stepwise.cpuMs, results.polars?.cpuMs),
      polarsLazy: ratio(stepwise.cpuMs, results.polarsLazy?.cpuMs),
    },
    peakRssOverFile: Object.fromEntries(
      Object.entries(results).map(([name, r]) => [name, r.peakRssMb === null ? null : round1(r.peakRssMb / fileMb)]),
    ),
    rssFloor: rssFloor(fileMb),
    targets: { stepwiseOverDuckdb: 1.15, stepwiseOverPolars: 1.5, stepwisePeakRssOverFile: 2.5 },
    ...check,
    ...(existsSync(TIME) ? {} : { note: `${TIME} is absent (apt-get install -y time): no peak RSS` }),
  };
}

const runsFromEnv = (fallback: number) => Number(process.env.W4_RUNS ?? fallback) || fallback;

/** W4 at 1,000,000 rows: median of 5 after a warm-up round. */
export async function runW4() {
  return runW4At(1_000_000, runsFromEnv(5), 1, true);
}

/** W4 at 10,000,000 rows (about 350 MB): median of 3, no warm-up. */
export async function runW4Large() {
  return runW4At(10_000_000, runsFromEnv(3), 0, false);
}

/** A 1 GB CSV through read, filter, aggregate, write, with Stepwise's heap bounded. */
export async function runW41gb() {
  const heapMb = Number(process.env.W4_HEAP_MB ?? 512) || 512;
  const csv = 'w4-1gb.csv';
  const { generatedMs } = ensureCsv(csv, { bytes: 1e9 });
  const fileMb = round1(statSync(join(data, csv)).size / 1e6);
  const probe = fileURLToPath(new URL('./w4/heap-probe.mjs', import.meta.url));
  const bounded = (name: string, workflow: string): Peer => {
    const heapProbe = join(data, `.heap-${name}.json`);
    rmSync(heapProbe, { force: true });
    return {
      name,
      args: [`--max-old-space-size=${heapMb}`, '--import', probe, bin, 'run', workflow],
      out: `out/${name === 'stepwise' ? 'stepwise' : 'stepwise-stream'}-1gb.parquet`,
      env: { W4_HEAP_PROBE: heapProbe },
      heapProbe,
    };
  };
  const peers: Peer[] = [
    bounded('stepwise', 'workflow-1gb.json'),
    bounded('stepwiseStreaming', 'workflow-1gb-stream.json'),
    {
      name: 'duckdb',
      args: ['duckdb-w4.mjs', join(data, csv), join(data, 'out/duckdb-1gb.parquet'), '1gb'],
      out: 'out/duckdb-1gb.parquet',
    },
  ];
  const loadBefore = load();
  const startedAt = new Date().toISOString();
  const results = compare(peers, 1, 0);
  const check = await agreement(completedOutputs(peers, results), 'out/duckdb-1gb.parquet');
  return {
    startedAt,
    load: { before: loadBefore, after: load() },
    fileMb,
    ...(generatedMs === undefined ? {} : { csvGeneratedMs: generatedMs }),
    stepwiseMaxOldSpaceMb: heapMb,
    peers: results,
    completedWithinHeap: Object.fromEntries(
      Object.entries(results)
        .filter(([name]) => name.startsWith('stepwise'))
        .map(([name, r]) => [name, r.failure === undefined]),
    ),
    ...check,
  };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const which = process.argv[2] ?? 'w4';
  const run = which === 'w4-large' ? runW4Large : which === 'w4-1gb' ? runW41gb : runW4;
  console.log(JSON.stringify(await run(), null, 2));
}
