// Test helpers: run the command in-process and capture what it prints. (Not exported by the package.)

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { CommandIO } from './io.js';
import { runCommand } from './run-command.js';

/** Temp folders made by this test file, removed when it ends. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The fixture project of the command's tests (a config and JSON step types). */
export const fixtures = resolve(fileURLToPath(new URL('.', import.meta.url)), '../test-fixtures/project');

/** What a command printed and returned. */
export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `stepwise <argv>` in-process with `cwd` (the fixture project by default), no TTY. */
export async function stepwise(argv: string[], options: { cwd?: string; signal?: AbortSignal } = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const io: CommandIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: options.cwd ?? fixtures,
    env: { NO_COLOR: '1' },
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const code = await runCommand(argv, io);
  return { code, stdout, stderr };
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'stepwise-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Copies a fixture workflow into `dir`, replacing `PLACEHOLDER` with `value`; returns its path. */
export function fixtureCopy(name: string, dir: string, value = ''): string {
  const path = join(dir, name);
  writeFileSync(path, readFileSync(join(fixtures, name), 'utf8').replace('PLACEHOLDER', value));
  return path;
}
