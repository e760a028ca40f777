// `npm start`: the editor on the examples. Builds the packages and the editor, generates the sales data
// when it is missing, puts the example workflows in the project's workflows folder (`workflows/`, the
// ones not there yet), then runs `stepwise serve` on 127.0.0.1 until Ctrl-C.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cli, prepare, root } from './sales/prepare.js';

/** The example documents the editor opens with. */
const EXAMPLES = [
  'examples/sales/workflow.json',
  ...readdirSync(join(root, 'examples', 'tables'))
    .filter((name) => name.endsWith('.workflow.json'))
    .map((name) => `examples/tables/${name}`),
];

/** Copies each example into `workflows/<id>.json` unless a workflow of that id is saved already (edits are kept). */
function seedWorkflows(): void {
  const folder = join(root, 'workflows');
  mkdirSync(folder, { recursive: true });
  const added: string[] = [];
  for (const example of EXAMPLES) {
    const { id } = JSON.parse(readFileSync(join(root, example), 'utf8')) as { id: string };
    const target = join(folder, `${id}.json`);
    if (existsSync(target)) continue;
    copyFileSync(join(root, example), target);
    added.push(id);
  }
  if (added.length > 0) console.log(`Saved the examples ${added.join(', ')} in ${relative(root, folder)}/.`);
}

prepare();
seedWorkflows();

const port = process.env.PORT ?? '3000';
// Ctrl-C reaches the server too (same process group): it cancels its runs (resumable) and exits 0
process.on('SIGINT', () => {});
const server = spawn(process.execPath, [cli, 'serve', '--port', port], { cwd: root, stdio: 'inherit' });
server.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 0 : 1)));
