// A TypeScript config and step modules load compiled from node_modules/.cache/stepwise, without tsx's
// hooks, when they import only packages and JavaScript; otherwise through tsx, as before. Each case
// runs in a process of its own with the built @stepwise/core (in vitest, import() is vitest's own).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const repoModules = fileURLToPath(new URL('../../../../node_modules', import.meta.url));
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project folder with these files, a `"type": "module"` package.json and the repository's node_modules. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-compile-'));
  made.push(dir);
  symlinkSync(repoModules, join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Loads the project's config and step modules in a new process; what it prints, parsed. */
function load(dir: string): Record<string, unknown> {
  const script = `
import { loadConfig, registry } from '@stepwise/core';
const out = { tsx: false, steps: [] };
try {
  await loadConfig(undefined, { cwd: process.cwd() });
} catch (error) {
  out.error = error.message;
  out.stack = error.cause?.stack;
}
out.tsx = globalThis[Symbol.for('stepwise.tsx-registered')] === true;
out.steps = registry.list().map((s) => s.slug).filter((slug) => slug.startsWith('t_'));
out.seen = globalThis.seen;
console.log(JSON.stringify(out));
`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const CONFIG = (steps: string[]) =>
  `import { defineConfig } from '@stepwise/core';\nexport default defineConfig({ steps: ${JSON.stringify(steps)}, store: 'memory' });\n`;

const stepModule = (slug: string, extra = '') => `import { stepType } from '@stepwise/core';
import { z } from 'zod';
${extra}
export const step: unknown = stepType({ slug: '${slug}', params: z.object({}), outputType: 'JSON' }, () => 1);
`;

describe('TypeScript config and step modules', () => {
  it('importing only packages and JavaScript, load without tsx, with import.meta of the source; an edit is seen', () => {
    const dir = project({
      'stepwise.config.ts': CONFIG(['./plain.ts']),
      'helper.js': 'export const answer = 42;\n',
      'plain.ts': stepModule(
        't_plain',
        `import { answer } from './helper.js';
const where: string = import.meta.dirname;
(globalThis as Record<string, unknown>).seen = { url: import.meta.url, where, answer, version: 1 };`,
      ),
    });
    expect(load(dir)).toEqual({
      tsx: false,
      steps: ['t_plain'],
      seen: { url: pathToFileURL(join(dir, 'plain.ts')).href, where: dir, answer: 42, version: 1 },
    });
    writeFileSync(join(dir, 'plain.ts'), stepModule('t_plain', '(globalThis as any).seen = { version: 2 };'));
    expect(load(dir)).toMatchObject({ tsx: false, seen: { version: 2 } });
  });

  it('a module that imports another .ts file loads through tsx, and one listed and imported too loads once', () => {
    const dir = project({
      'stepwise.config.ts': CONFIG(['./first.ts', './second.ts']),
      'first.ts': stepModule('t_first', '(globalThis as any).seen = ((globalThis as any).seen ?? 0) + 1;'),
      'second.ts': stepModule('t_second', "import './first.ts';"),
    });
    expect(load(dir)).toEqual({ tsx: true, steps: ['t_first', 't_second'], seen: 1 });
  });

  it('an error while a compiled module loads names the source file, and its line in the stack', () => {
    const dir = project({
      'stepwise.config.ts': CONFIG(['./throws.ts', './missing.ts']),
      'throws.ts': "const n: number = 1;\nif (n === 1) {\n  throw new Error('boom');\n}\n",
    });
    const thrown = load(dir);
    expect(thrown.error).toContain(`Could not load step module ${join(dir, 'throws.ts')}`);
    expect(thrown.stack).toContain(`${join(dir, 'throws.ts')}:3`);

    writeFileSync(join(dir, 'stepwise.config.ts'), CONFIG(['./missing.ts']));
    writeFileSync(join(dir, 'missing.ts'), "import 'no-such-package-of-stepwise';\nexport const x: number = 1;\n");
    const missing = load(dir);
    expect(missing.error).toContain("Cannot find package 'no-such-package-of-stepwise'");
    expect(missing.error).toContain(join(dir, 'missing.ts'));
    expect(missing.error).not.toContain('.cache');
  });
});
