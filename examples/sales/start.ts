// `npm run example`: the sales example end to end on embedded defaults (no services).
// Builds the packages (saying so: the first build takes a while), generates the sales data when it is
// missing, runs the workflow with the live view, then prunes the file store to the newest runs (every
// run keeps its outputs, megabytes each).
import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { cli, prepare, root, step } from './prepare.js';

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

prepare();

// Ctrl-C reaches the command too (same process group): it cancels the run and exits 130.
process.on('SIGINT', () => {});
const code = step(process.execPath, [cli, 'run', 'examples/sales/workflow.json']);
if (code !== 130) pruneStore();
if (code === 0) {
  console.log('\nThe results are in examples/data/out/. Next: the tutorial in README.md, or `npx stepwise --help`.');
}
process.exit(code);
