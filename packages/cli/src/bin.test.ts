// The built command, spawned as a user runs it (through the bin npm links): exit codes and Ctrl-C.
// Needs `npm run build` first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { fixtures, tempDir } from './test-io.js';

const packageDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(resolve(packageDir, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
};
const bin = resolve(packageDir, manifest.bin.stepwise ?? '');
const built = resolve(packageDir, 'dist/bin.js');

it('the bin is a committed file, so `npm install` on a fresh clone links it before anything is built', () => {
  expect(manifest.bin.stepwise).not.toMatch(/dist\//);
  expect(existsSync(bin)).toBe(true);
  expect(readFileSync(bin, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
});

function stepwise(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: fixtures,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

describe('the built stepwise bin', () => {
  beforeAll(() => {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does).`);
  });

  it('exits 0 after a completed run, loading the TypeScript config and step modules without a build', () => {
    const result = stepwise(['run', 'ok.json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/completed in/);
  });

  it('exits 2 for an invalid document and for an unknown command, with usage', () => {
    expect(stepwise(['run', 'invalid.json']).status).toBe(2);
    const unknown = stepwise(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Usage: stepwise');
  });

  it('prints the version', () => {
    const result = stepwise(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('on SIGINT cancels the run, reports the cancelled step, and exits 130', async () => {
    const child = spawn(process.execPath, [bin, 'run', 'slow.json', '--store', tempDir()], {
      cwd: fixtures,
      env: { ...process.env, NO_COLOR: '1' },
    });
    // the slow step never settles on its own: a failed expectation must not leave the child running
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('▶ wait')) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(130);
    expect(stdout).toMatch(/⊘ wait/);
    expect(stdout).toContain('npx stepwise resume --store');
  });
});
