/**
 * W2, a table pipeline: 1,000,000 rows from mulberry32 (row i draws r0..r3: id = i,
 * group = "g00".."g99"[floor(r0*100)], value = r1 < 0.05 ? null : r2*2-1, flag = r3 < 0.5), then five
 * steps: drop rows whose value is null; keep value > 0.2; derive value2 = value*2+1; group by group
 * with count and mean(value2); sort by group.
 *
 * Cold (the issue's figure): the first run in a fresh process, for Stepwise, Arquero by hand, typed
 * arrays by hand, DuckDB (one query, after loading the table), Polars for Node (when installed) and
 * pandas (Debian's python3-pandas, when present), W2_COLD_RUNS processes each (default 5), interleaved
 * (W2_COLD=stepwise,pandas for a subset);
 * the median is reported, of the wall-clock time and of the CPU time. A Node process collects the generated data's garbage before its timer starts.
 * The Node processes run w2-cold.ts compiled to JavaScript (not under tsx, whose loader hooks a
 * compiled program does not have), see `compiledColdScript`.
 * Warm: the median of five runs after two warm-up runs, in this process.
 * Every contender prints a checksum (FNV-1a 32 over the lines `group:count:mean.toFixed(12)`) that must
 * agree with the typed arrays'.
 * Run: `npm run bench -- w2`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import {
  checksum,
  type GroupRow,
  generate,
  handArquero,
  inputTable,
  resultRows,
  stepwiseRunner,
  typedArrays,
  writeColumns,
} from './w2-contenders.js';

const ROWS = 1_000_000;
const RUNS = 5;
const WARMUP = 2;
const COLD_RUNS = Number(process.env.W2_COLD_RUNS ?? 5);
const root = fileURLToPath(new URL('..', import.meta.url));

/** The contenders of the cold runs, each in fresh processes. */
const CONTENDERS = ['stepwise', 'pandas', 'duckdb', 'polars', 'arquero', 'typedArray'] as const;
type Contender = (typeof CONTENDERS)[number];
/** W2_COLD=stepwise,pandas runs only those (the typed arrays always run: they are the reference). */
const COLD = CONTENDERS.filter(
  (name) => !process.env.W2_COLD || name === 'typedArray' || process.env.W2_COLD.split(',').includes(name),
);

/** One contender's cold figures. */
export interface ColdFigure {
  /** Median milliseconds of the five steps, first run in a fresh process. */
  ms: number;
  /** Each process's figure, in run order. */
  samples: number[];
  /**
   * Median CPU milliseconds of the same runs (all the process's threads): steadier than `ms` on a
   * loaded machine, where `ms` also counts the time the process waited for a core.
   */
  cpuMs: number;
  checksum: string;
  /** Same checksum as the typed arrays' (groups, counts and means to 12 decimals). */
  agrees: boolean;
  /** Largest relative difference of a mean from the typed arrays' (counts and groups must be equal). */
  maxMeanDiff: number;
  /** DuckDB: milliseconds to load the table from JavaScript (not in `ms`). */
  loadMs?: number;
}

/** What `runW2()` reports. */
export interface W2Result {
  rows: number;
  machine: string;
  cold: {
    runs: number;
    figures: Partial<Record<Contender, ColdFigure>>;
    absent: string[];
    /** Stepwise's cold figure over each peer's (target: stepwise / pandas at most 1). */
    ratios: Record<string, number>;
    /** The same ratios of the CPU figures (`cpuMs`). */
    cpuRatios: Record<string, number>;
  };
  warm: {
    runs: number;
    /** Median milliseconds of the five steps after warm-up, in one process. */
    ms: { stepwise: number; arquero: number; typedArray: number };
    checksumsAgree: boolean;
  };
  peakRssMb: number;
}

interface ChildResult {
  ms: number;
  cpuMs: number;
  loadMs?: number;
  checksum: string;
  rows: GroupRow[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** A Python that imports pandas: Debian's first (a pyenv shim may shadow it), then python3 on the PATH. */
function pandasPython(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import pandas'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/** What the cold children read: the columns file, pandas' Python, and w2-cold.ts compiled. */
interface ChildFiles {
  columns: string;
  python?: string;
  script: string;
}

/**
 * w2-cold.ts and the files it imports, compiled to JavaScript under node_modules/.cache/stepwise-bench
 * (packages resolve from there as from bench/), so that a cold child runs as a user's compiled
 * program does. Under tsx every module imported inside the timed run (Stepwise imports a step's
 * kernels when the step first runs) went through tsx's loader hooks, a round trip to their thread
 * each, which no compiled program pays: ~15 ms of CPU of a 1,000-row Stepwise run (load 17).
 */
function compiledColdScript(): string {
  const out = join(root, 'node_modules/.cache/stepwise-bench');
  for (const file of ['bench/w2-cold.ts', 'bench/w2-contenders.ts', 'examples/data/mulberry32.ts']) {
    const source = readFileSync(join(root, file), 'utf8');
    const options = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 };
    const target = join(out, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, ts.transpileModule(source, { compilerOptions: options, fileName: file }).outputText);
  }
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  return join(out, 'bench/w2-cold.js');
}

function runChild(contender: Contender, rows: number, files: ChildFiles) {
  const [command, args] =
    contender === 'pandas'
      ? [files.python as string, [join(root, 'bench/w2-pandas.py'), files.columns, String(rows)]]
      : [process.execPath, ['--expose-gc', files.script, contender, String(rows)]];
  const child = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`W2 cold ${contender} exited ${child.status}: ${child.stderr.slice(0, 800)}`);
  return JSON.parse(child.stdout) as ChildResult | { absent: true };
}

/** The largest relative difference of a mean, or Infinity when groups or counts differ. */
function meanDiff(rows: GroupRow[], reference: GroupRow[]): number {
  if (rows.length !== reference.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  rows.forEach((row, i) => {
    const want = reference[i] as GroupRow;
    if (row.group !== want.group || row.count !== want.count) worst = Number.POSITIVE_INFINITY;
    else worst = Math.max(worst, Math.abs(row.mean - want.mean) / Math.abs(want.mean));
  });
  return worst;
}

function coldRuns(rows: number): W2Result['cold'] {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-w2-'));
  const columns = join(dir, 'columns.bin');
  writeColumns(generate(rows), columns);
  const python = pandasPython();
  const script = compiledColdScript();
  const absent = python ? [] : ['pandas (no python3 with pandas; on Debian: apt-get install python3-pandas)'];
  const results = new Map<Contender, ChildResult[]>();
  try {
    for (let r = 0; r < COLD_RUNS; r++) {
      for (const contender of COLD) {
        if (contender === 'pandas' && !python) continue;
        if (r > 0 && !results.has(contender)) continue; // absent at the first run
        const out = runChild(contender, rows, { columns, script, ...(python ? { python } : {}) });
        if ('absent' in out) {
          absent.push(`${contender} (nodejs-polars is not installed)`);
          continue;
        }
        results.set(contender, [...(results.get(contender) ?? []), out]);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const reference = (results.get('typedArray') as ChildResult[])[0]?.rows ?? [];
  const referenceSum = checksum(reference);
  const figures: W2Result['cold']['figures'] = {};
  for (const [contender, list] of results) {
    const last = list[list.length - 1] as ChildResult;
    const loads = list.flatMap((x) => (x.loadMs === undefined ? [] : [x.loadMs]));
    figures[contender] = {
      ms: round(median(list.map((x) => x.ms))),
      samples: list.map((x) => round(x.ms)),
      cpuMs: round(median(list.map((x) => x.cpuMs))),
      checksum: last.checksum,
      agrees: list.every((x) => x.checksum === referenceSum),
      maxMeanDiff: Math.max(...list.map((x) => meanDiff(x.rows, reference))),
      ...(loads.length > 0 ? { loadMs: round(median(loads)) } : {}),
    };
  }
  const ratios: Record<string, number> = {};
  const cpuRatios: Record<string, number> = {};
  const stepwise = figures.stepwise;
  for (const [contender, figure] of Object.entries(figures)) {
    if (contender === 'stepwise' || !stepwise) continue;
    ratios[`stepwise/${contender}`] = Math.round((stepwise.ms / figure.ms) * 100) / 100;
    cpuRatios[`stepwise/${contender}`] = Math.round((stepwise.cpuMs / figure.cpuMs) * 100) / 100;
  }
  return { runs: COLD_RUNS, figures, absent, ratios, cpuRatios };
}

async function time<T>(run: () => Promise<T> | T): Promise<{ ms: number[]; last: T }> {
  const ms: number[] = [];
  let last: T | undefined;
  for (let r = 0; r < WARMUP + RUNS; r++) {
    const t0 = performance.now();
    last = await run();
    if (r >= WARMUP) ms.push(performance.now() - t0);
  }
  return { ms, last: last as T };
}

async function warmRuns(rows: number): Promise<W2Result['warm']> {
  const cols = generate(rows);
  const input = await inputTable(cols);
  const arquero = await time(() => handArquero(input));
  const typed = await time(() => typedArrays(cols));
  const stepwise = await time(stepwiseRunner(input));
  const sums = [checksum(resultRows(stepwise.last)), checksum(resultRows(arquero.last)), checksum(typed.last)];
  return {
    runs: RUNS,
    ms: {
      stepwise: round(median(stepwise.ms)),
      arquero: round(median(arquero.ms)),
      typedArray: round(median(typed.ms)),
    },
    checksumsAgree: sums.every((sum) => sum === sums[0]),
  };
}

/** Runs W2, cold (fresh processes) and warm, and returns the figures. */
export async function runW2(rows = ROWS): Promise<W2Result> {
  const cold = coldRuns(rows);
  const warm = await warmRuns(rows);
  return {
    rows,
    machine: 'shared (up to 8 helpers on 2 cores): compare figures of the same run only',
    cold,
    warm,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

if (process.argv[1]?.endsWith('w2-table-pipeline.ts')) {
  console.log(JSON.stringify(await runW2(), null, 2));
}
