// A temporary copy of part of this repository, run as a project of its own: tests that run the
// examples as a reader would (`npx stepwise run examples/…` from the root) run there instead, so that
// `npm test` writes nothing into the repository (no store, no out/ folders, no generated data).
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { loadConfig } from '@stepwise/core';

/** The repository root. */
export const repoRoot = resolve(import.meta.dirname, '..');

/** A project folder laid out like the repository; `remove()` deletes it. */
export interface LinkedProject {
  dir: string;
  remove(): void;
}

/**
 * Makes a temporary folder with the repository's files listed in `copy` (paths relative to the root,
 * copied to the same place), a `stepwise.config.ts` with the repository's step modules (by absolute
 * path), its data root (`examples/data`) and a store inside the folder, and `node_modules` linked to the repository's.
 */
export async function linkedProject(copy: readonly string[]): Promise<LinkedProject> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-linked-'));
  for (const path of copy) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(repoRoot, path), join(dir, path), { recursive: true });
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  const { steps, logLevel, dataRoot } = await loadConfig(join(repoRoot, 'stepwise.config.ts'), { importSteps: false });
  const config = { steps, dataRoot: relative(repoRoot, dataRoot), store: '.stepwise/store', logLevel };
  mkdirSync(join(dir, config.dataRoot), { recursive: true });
  writeFileSync(join(dir, 'stepwise.config.ts'), `export default ${JSON.stringify(config, null, 2)};\n`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
