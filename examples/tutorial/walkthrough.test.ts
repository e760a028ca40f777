// The README's `stepwise` walkthrough, run command by command as a reader types it from the repository
// root: `npx stepwise …` in-process, anything else (mkdir, sed, cp) through sh. `run_…` becomes the id
// the failed run printed. A command whose comment says "exits N" must exit N; the others exit 0.
// It runs in a temporary copy of the root (tests/linked-project.ts), so that what it writes (out/, the
// store) never stays in the repository, where it would make the README's failure no longer fail.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '@stepwise/cli';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type LinkedProject, linkedProject, repoRoot } from '../../tests/linked-project.js';

let project: LinkedProject;
let root: string;
const cwd = process.cwd();
beforeAll(async () => {
  project = await linkedProject(['examples/tutorial/orders.json', 'examples/tutorial/rates.json']);
  root = project.dir;
  // the tutorial's convert_currency reads its rates file relative to the process, as a reader's shell would
  process.chdir(root);
});
afterAll(() => {
  process.chdir(cwd);
  project.remove();
});

/** The shell commands of the README's section 3, in order. */
function walkthrough(readme: string): string[] {
  const start = readme.indexOf('### 3. Run it with the `stepwise` command');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((block) => block.split('\n').filter((line) => line.trim() !== ''));
}

async function stepwise(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: root,
    env: { NO_COLOR: '1' },
  };
  return { code: await runCommand(argv, io), stdout, stderr };
}

it("the README's walkthrough runs as written: run, fail, fix, resume", async () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  // the failure as the README shows it
  const excerpt = /```text\n(Step "in_eur"[\s\S]*?)```/.exec(readme)?.[1]?.trimEnd() ?? '';
  expect(excerpt).not.toBe('');
  const commands = walkthrough(readme);
  expect(commands.filter((c) => c.startsWith('npx stepwise resume'))).toHaveLength(1);
  let runId = '';
  for (const line of commands) {
    const comment = /\s+#\s.*$/.exec(line)?.[0] ?? '';
    const command = line.slice(0, line.length - comment.length).replace('run_…', runId);
    const expected = Number(/exits (\d+)/.exec(comment)?.[1] ?? 0);
    if (!command.startsWith('npx stepwise ')) {
      const shell = spawnSync('sh', ['-c', command], { cwd: root, encoding: 'utf8' });
      expect(shell.status, `${command}\n${shell.stderr}`).toBe(expected);
      continue;
    }
    const { code, stdout, stderr } = await stepwise(command.slice('npx stepwise '.length).split(/\s+/));
    expect(code, `${command}\n${stdout}\n${stderr}`).toBe(expected);
    if (expected === 1) expect(stdout.replace(/run_[A-Za-z0-9_-]+/g, 'run_…')).toContain(excerpt);
    runId = /npx stepwise resume (run_\S+)/.exec(stdout)?.[1] ?? runId;
  }
  expect(runId).toMatch(/^run_/);
  expect(JSON.parse(readFileSync(join(root, 'examples/tutorial/out/orders.json'), 'utf8'))).toHaveLength(3);
  expect(existsSync(join(root, 'examples/tutorial/out/failing.json'))).toBe(true);
});
