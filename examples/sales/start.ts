// `npm start`: the sales example end to end on embedded defaults (no services).
// Builds the packages (saying so: the first build takes a while), generates the sales data when it is
// missing, runs the workflow with the live view, then prunes the file store to the newest runs (every
// run keeps its outputs, megabytes each).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const data = join(root, 'examples', 'data', 'out', 'sales.csv');

const cli = join(root, 'packages', 'cli', 'dist', 'bin.js');
const KEEP_RUNS = 5;

/** `stepwise prune --keep 5`, told in one line: every run keeps its outputs, so the store would grow forever. */
function pruneStore(): void {
  const args = [cli, 'prune', '--keep', String(KEEP_RUNS), '--json'];
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  let report: { store: string; runsDeleted: number; bytesFreed: number };
  try {
    if (result.status !== 0) throw new Error(result.stderr.trim().split('\n')[0]);
    report = JSON.parse(result.stdout);
  } catch (error) {
    console.log(`\nCould not prune the store (npx stepwise prune): ${(error as Error).message}`);
    return;
  }
  const { store, runsDeleted, bytesFreed } = report;
  const removed =
    runsDeleted === 0
      ? 'nothing older to remove'
      : `removed ${runsDeleted} older run${runsDeleted === 1 ? '' : 's'}, freeing ${(bytesFreed / 1e6).toFixed(1)} MB`;
  console.log(`\nPruned ${relative(root, store)} to the newest ${KEEP_RUNS} runs: ${removed} (npx stepwise prune).`);
}

function step(command: string, args: string[]): number {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status ?? (result.signal === 'SIGINT' ? 130 : 1);
}

/** `npm run build`, announced: the first build compiles every package (tens of seconds), later ones only what changed. */
function build(): void {
  const first = !existsSync(cli);
  console.log(
    first
      ? 'Building the packages with tsc (the first build takes about a minute; later ones only rebuild what changed) …'
      : 'Building what changed …',
  );
  const started = Date.now();
  const code = step('npm', ['run', 'build', '--silent']);
  if (code !== 0) process.exit(code);
  console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)}s.\n`);
}

build();
if (!existsSync(data)) {
  console.log('Generating the sales data (100,000 rows) in examples/data/out/sales.csv …');
  const code = step(process.execPath, ['--import', 'tsx', 'examples/data/generate-sales.ts', '100000', data]);
  if (code !== 0) process.exit(code);
}

// Ctrl-C reaches the command too (same process group): it cancels the run and exits 130.
process.on('SIGINT', () => {});
const code = step(process.execPath, [cli, 'run', 'examples/sales/workflow.json']);
if (code !== 130) pruneStore();
if (code === 0) {
  console.log('\nThe results are in examples/data/out/. Next: the tutorial in README.md, or `npx stepwise --help`.');
}
process.exit(code);
