// What `npm start` (the editor) and `npm run example` (the one-shot run) do first: build the packages,
// saying so (the first build takes a while), and generate the sales data when it is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root. */
export const root = join(import.meta.dirname, '..', '..');
/** The built `stepwise` command. */
export const cli = join(root, 'packages', 'cli', 'dist', 'bin.js');
const data = join(root, 'examples', 'data', 'out', 'sales.csv');

/** Runs a command in the repository root, its output shown; answers its exit code. */
export function step(command: string, args: string[]): number {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  return result.status ?? (result.signal === 'SIGINT' ? 130 : 1);
}

/** `npm run build`, announced: the first build compiles every package (tens of seconds), later ones only what changed. */
function build(): void {
  const first = !existsSync(cli);
  console.log(
    first
      ? 'Building the packages with tsc and the editor with Vite (the first build takes a minute or two; later ones only rebuild what changed) …'
      : 'Building what changed …',
  );
  const started = Date.now();
  const code = step('npm', ['run', 'build', '--silent']);
  if (code !== 0) process.exit(code);
  console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)}s.\n`);
}

/** Builds the packages, then generates the sales data (100,000 rows) when it is missing; exits on a failure. */
export function prepare(): void {
  build();
  if (existsSync(data)) return;
  console.log('Generating the sales data (100,000 rows) in examples/data/out/sales.csv …');
  const code = step(process.execPath, ['--import', 'tsx', 'examples/data/generate-sales.ts', '100000', data]);
  if (code !== 0) process.exit(code);
}
