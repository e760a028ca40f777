// The built command, spawned as a user runs it (through the bin npm links): exit codes and Ctrl-C.
// Needs `npm run build` first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
    let sent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      // one Ctrl-C: a second one, sent with a later chunk, exits at once (or, once the process is
      // ending, finds no handler and kills it)
      if (!sent && stdout.includes('▶ wait')) sent = child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(130);
    expect(stdout).toMatch(/⊘ wait/);
    expect(stdout).toContain('npx stepwise resume --store');
  });

  it('on SIGHUP (the terminal closed) cancels the run the same way, and exits 129', async () => {
    const child = spawn(process.execPath, [bin, 'run', 'slow.json', '--store', tempDir()], {
      cwd: fixtures,
      env: { ...process.env, NO_COLOR: '1' },
    });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('▶ wait') && !output.includes('Interrupted')) child.kill('SIGHUP');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(code).toBe(129);
    expect(output).toContain('Interrupted (SIGHUP): cancelling the run');
    expect(output).toMatch(/⊘ wait/);
  });

  it('fails the run when its record cannot be written (a full disk: here a file size limit), with the cause; exit 1', () => {
    // the document's description makes the record larger than the limit while every value stays small
    const dir = tempDir();
    const limited = (steps: number, description: number) => {
      const file = join(dir, `big-${steps}.json`);
      const list = [{ id: 'numbers', type: 'test_numbers', config: {} }];
      for (let i = 1; i < steps; i++) list.push({ id: `d${i}`, type: 'test_double', config: {} });
      writeFileSync(
        file,
        JSON.stringify({
          format: 'stepwise.workflow',
          version: 1,
          id: 'big',
          description: 'x'.repeat(description),
          steps: list,
        }),
      );
      // bash counts `ulimit -f` in KiB; node ignores SIGXFSZ, so a write past the limit fails with EFBIG
      return spawnSync(
        'bash',
        [
          '-c',
          `ulimit -f 8; exec "$0" "$@"`,
          process.execPath,
          bin,
          'run',
          file,
          '--store',
          join(dir, `store-${steps}`),
        ],
        {
          cwd: fixtures,
          encoding: 'utf8',
          // tsx's compile cache would hit the limit too
          env: { ...process.env, NO_COLOR: '1', TSX_DISABLE_CACHE: '1' },
        },
      );
    };
    const atStart = limited(1, 20_000);
    expect(atStart.status).toBe(1);
    expect(atStart.stderr).toMatch(/could not be saved before the run started: EFBIG/);
    const atEnd = limited(31, 4_000);
    expect(atEnd.status).toBe(1);
    expect(atEnd.stdout).toMatch(
      /The run failed:\n {2}StepwiseError: The record of run "run_\S+" could not be saved when the run ended: EFBIG/,
    );
  });
});
