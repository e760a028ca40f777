// A step that threw a 50 MB message once printed 157 MB and streamed 210 MB of NDJSON: the built
// command, spawned as a user runs it, prints every error bounded, the same in text and with --json.
// Needs `npm run build` first.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureCopy, fixtures, tempDir } from './test-io.js';

const packageDir = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const bin = resolve(packageDir, 'bin/stepwise.js');
const built = resolve(packageDir, 'dist/bin.js');
const KB = 1024;

function stepwise(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: fixtures,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
}

function storedBytes(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
}

describe('a step that throws something huge, through the built command', () => {
  beforeAll(() => {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does).`);
  });

  for (const kind of ['message', 'details', 'causes', 'aggregate'] as const) {
    it(`${kind}: the text report, --json events and the stored record each stay small`, () => {
      const dir = tempDir();
      const workflow = fixtureCopy('loud.json', dir, kind);
      const store = join(dir, 'store');
      const text = stepwise(['run', workflow, '--store', store]);
      expect(text.status).toBe(1);
      expect(text.stdout).toContain('Step "loud" (test_loud) failed:');
      expect(text.stdout.length + text.stderr.length).toBeLessThan(64 * KB);
      expect(storedBytes(join(store, 'runs'))).toBeLessThan(256 * KB);

      const json = stepwise(['run', workflow, '--store', store, '--json']);
      expect(json.status).toBe(1);
      expect(json.stdout.length + json.stderr.length).toBeLessThan(256 * KB);
      const events = json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; error?: { message: string } });
      const failed = events.find((event) => event.type === 'step.failed');
      // printed the same way: the text report shows the message --json carries
      const shown = failed?.error?.message.split('\n')[0] ?? '';
      expect(text.stdout).toContain(shown);
      if (kind === 'message') expect(shown).toMatch(/x… \[cut 52,\d{3},\d{3} characters\]$/);
      if (kind === 'causes') expect(text.stdout).toContain('caused by Cut: … [cut 994 more causes]');
      if (kind === 'aggregate') {
        expect(text.stdout).toContain('error 1: Error: inner 0');
        expect(text.stdout).toMatch(/… \[cut \d+ more errors\]/);
      }
    });
  }

  it('stepwise show prints the stored error from the failing step, bounded', () => {
    const dir = tempDir();
    const store = join(dir, 'store');
    expect(stepwise(['run', fixtureCopy('loud.json', dir, 'message'), '--store', store]).status).toBe(1);
    const runId = (readdirSync(join(store, 'runs'))[0] ?? '').replace(/\.json$/, '');
    const record = JSON.parse(readFileSync(join(store, 'runs', `${runId}.json`), 'utf8'));
    expect(record.failedStep).toBe('loud');
    expect(record.error).toBeUndefined();
    const shown = stepwise(['show', runId, '--store', store]);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/Step "loud" \(test_loud\) failed:\n {2}Error: x+… \[cut 52,\d{3},\d{3} characters\]/);
    expect(shown.stdout.length).toBeLessThan(64 * KB);
  });
});
