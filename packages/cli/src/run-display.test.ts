// What `stepwise run` shows besides the steps: the run id before anything runs (a run killed from outside
// must still be findable), retries as they happen with the true attempt count, and cached steps.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepwise, tempDir } from './test-io.js';

/** A workflow file of the fixture step types in a temp folder; its path. */
function workflowFile(steps: unknown[]): string {
  const path = join(tempDir(), 'workflow.json');
  writeFileSync(path, JSON.stringify({ format: 'stepwise.workflow', version: 1, id: 'display', steps }));
  return path;
}

const numbers = { id: 'numbers', type: 'test_numbers', config: {} };

describe('stepwise run shows', () => {
  it('the run id before the first step, without a TTY and with --json (on stderr)', async () => {
    const plain = await stepwise(['run', 'ok.json']);
    const first = plain.stdout.split('\n')[0] ?? '';
    expect(first).toMatch(/^Run run_\S+ started \(memory store: it cannot be resumed\)$/);
    expect(plain.stdout.indexOf(first)).toBeLessThan(plain.stdout.indexOf('✔ numbers'));
    const json = await stepwise(['run', 'ok.json', '--json']);
    const id = /^Run (run_\S+) started/.exec(json.stderr)?.[1];
    expect((JSON.parse(json.stdout.split('\n')[0] ?? '') as { runId: string }).runId).toBe(id);
    const store = join(tempDir(), 'store');
    const stored = await stepwise(['run', 'ok.json', '--store', store]);
    expect(stored.stdout).toMatch(
      /^Run (run_\S+) started; if it stops, continue it with: npx stepwise resume --store \S+ \1 ok\.json$/m,
    );
  });

  it('each retry as it happens, and the attempts a step took', async () => {
    const file = workflowFile([
      numbers,
      { id: 'shaky', type: 'test_retry', config: { failures: 2 }, strategy: { retries: 2, retryDelayMs: 1 } },
      { id: 'broken', type: 'test_retry', config: { failures: 9 }, strategy: { retries: 1, retryDelayMs: 1 } },
    ]);
    const { code, stdout } = await stepwise(['run', file]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /▶ shaky\s+test_retry\s+\S+\s+attempt 1 failed: attempt 1 fails on purpose; attempt 2 in 1ms/,
    );
    expect(stdout).toMatch(
      /▶ shaky\s+test_retry\s+\S+\s+attempt 2 failed: attempt 2 fails on purpose; attempt 3 in 2ms/,
    );
    const summary = (id: string) =>
      stdout.split('\n').find((line) => line.includes(` ${id} `) && line.includes('│')) ?? '';
    expect(summary('shaky')).toMatch(/completed\s*│.*│\s*3\s*│$/);
    expect(summary('broken')).toMatch(/failed\s*│.*│\s*2\s*│$/);
  });

  it('a step that took its output from the cache as cached', async () => {
    const file = workflowFile([
      { ...numbers, strategy: { cache: true } },
      { id: 'total', type: 'test_sum', config: {}, strategy: { cache: true } },
    ]);
    const store = join(tempDir(), 'store');
    await stepwise(['run', file, '--store', store]);
    const { stdout } = await stepwise(['run', file, '--store', store]);
    expect(stdout).toMatch(/✔ numbers\s+test_numbers\s+0ms\s+cached/);
    expect(stdout).toMatch(/✔ │ total\s*│ test_sum\s*│ cached/);
  });
});
