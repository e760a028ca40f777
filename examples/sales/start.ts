// `npm start`: the sales example end to end on embedded defaults (no services).
// Generates the sales data when it is missing, then runs the workflow with the live view.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const data = join(root, 'examples', 'data', 'out', 'sales.csv');

function step(command: string, args: string[]): number {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status ?? (result.signal === 'SIGINT' ? 130 : 1);
}

if (!existsSync(data)) {
  console.log('Generating the sales data (100,000 rows) in examples/data/out/sales.csv …');
  const code = step(process.execPath, ['--import', 'tsx', 'examples/data/generate-sales.ts', '100000', data]);
  if (code !== 0) process.exit(code);
}

// Ctrl-C reaches the command too (same process group): it cancels the run and exits 130.
process.on('SIGINT', () => {});
const code = step(process.execPath, [
  join(root, 'packages', 'cli', 'dist', 'bin.js'),
  'run',
  'examples/sales/workflow.json',
]);
if (code === 0) {
  console.log('\nThe results are in examples/sales/out/. Next: the tutorial in README.md, or `npx stepwise --help`.');
}
process.exit(code);
