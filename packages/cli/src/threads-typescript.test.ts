// Worker threads load TypeScript step modules: one compiled (it imports only packages) and one through
// tsx (it imports another .ts file), both from the built `stepwise` and from a process started under
// tsx (where the main thread imports them through tsx's --import loader and the threads do not have it).
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './test-io.js';

const bin = fileURLToPath(new URL('../bin/stepwise.js', import.meta.url));
const repoModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));

const FILES: Record<string, string> = {
  'package.json': '{ "type": "module", "private": true }\n',
  'stepwise.config.ts':
    "import { defineConfig } from '@stepwise/core';\nexport default defineConfig({ steps: ['./plain.ts', './nested.ts'], store: 'memory' });\n",
  'plain.ts': `import { isMainThread } from 'node:worker_threads';
import { stepType } from '@stepwise/core';
import { z } from 'zod';
export const plain = stepType({ slug: 't_plain', params: z.object({}), outputType: 'JSON' }, () => ({
  plain: isMainThread ? 'main' : 'thread',
}));
`,
  'helper.ts': 'export const twice = (n: number): number => n * 2;\n',
  'nested.ts': `import { isMainThread } from 'node:worker_threads';
import { stepType } from '@stepwise/core';
import { z } from 'zod';
import { twice } from './helper.ts';
export const nested = stepType(
  { slug: 't_nested', params: z.object({}), inputType: 'JSON', outputType: 'JSON' },
  (input: Record<string, unknown>) => ({ ...input, nested: isMainThread ? 'main' : 'thread', four: twice(2) }),
);
`,
  'workflow.json': JSON.stringify({
    format: 'stepwise.workflow',
    version: 1,
    id: 'threads-ts',
    name: 'Threads and TypeScript',
    inputs: {},
    steps: [
      { id: 'a', type: 't_plain', config: {}, strategy: { executor: 'threads' } },
      { id: 'b', type: 't_nested', config: {}, strategy: { executor: 'threads' } },
    ],
    outputs: { out: { step: 'b' } },
  }),
};

function project(files: Record<string, string> = FILES): string {
  const dir = tempDir('stepwise-threads-ts-');
  symlinkSync(repoModules, join(dir, 'node_modules'), 'dir');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A run of workflow.json in `dir` by the built stepwise (with `nodeArgs` before it), writing out.json. */
function run(dir: string, nodeArgs: readonly string[] = []) {
  return spawnSync(process.execPath, [...nodeArgs, bin, 'run', 'workflow.json', '--output', 'out=out.json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

/** Runs workflow.json in `dir`: it must succeed, both steps on worker threads. */
function expectRanOnThreads(dir: string, nodeArgs: readonly string[] = []): void {
  const result = run(dir, nodeArgs);
  expect(result.stdout).not.toContain('STEP_TYPE_CONFLICT');
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toEqual({
    plain: 'thread',
    nested: 'thread',
    four: 4,
  });
}

describe('a threads step of a TypeScript step module', () => {
  for (const [name, nodeArgs] of [
    ['the built stepwise', []],
    ['stepwise started under tsx', ['--import', 'tsx']],
  ] as const) {
    it(`runs on a worker thread, from ${name}`, () => {
      expectRanOnThreads(project(), nodeArgs);
    });
  }

  it('loads a listed module that another listed module imports once, on a worker thread', () => {
    // nested.ts imports plain.ts, so it loads through tsx; plain.ts, listed too, must be the same
    // module in the thread (compiled alone, it registered t_plain a second time: STEP_TYPE_CONFLICT)
    const dir = project({
      ...FILES,
      'helper.ts': "export { plain } from './plain.ts';\nexport const twice = (n: number): number => n * 2;\n",
    });
    expectRanOnThreads(dir);
  });
});
