// run --from, --to, --only: part of a workflow, the other steps' earlier outputs read from the store;
// and --output for any step's output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { stepwise, tempDir } from './test-io.js';

let store: string;
beforeEach(() => {
  store = join(tempDir(), 'store');
});

/** Runs `stepwise run ok.json <flags>` with --json; the steps that started and the run's outputs. */
async function run(flags: string[]) {
  const { code, stdout, stderr } = await stepwise(['run', 'ok.json', '--store', store, '--json', ...flags]);
  const events = stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; stepId?: string; outputs?: Record<string, string> });
  const started = events.filter((e) => e.type === 'step.started').map((e) => e.stepId);
  return { code, stderr, started, outputs: events.find((e) => e.type === 'run.completed')?.outputs ?? {} };
}

async function outputOf(runFlags: string[], output: string): Promise<unknown> {
  const dir = tempDir();
  const file = join(dir, `${output}.json`);
  const { code } = await stepwise(['run', 'ok.json', '--store', store, ...runFlags, '-o', `${output}=${file}`]);
  expect(code).toBe(0);
  return JSON.parse(readFileSync(file, 'utf8'));
}

describe('partial runs', () => {
  it('--from runs that step and the ones after it, reading the steps before from the last run', async () => {
    expect((await run([])).started).toEqual(['numbers', 'doubled', 'total']);
    const partial = await run(['--from', 'total']);
    expect(partial.code).toBe(0);
    expect(partial.started).toEqual(['total']);
    expect(await outputOf(['--from', 'total'], 'total')).toBe(20);
  });

  it('--to runs that step and the ones before it; --only runs just those steps', async () => {
    await run([]);
    expect((await run(['--to', 'doubled'])).started).toEqual(['numbers', 'doubled']);
    expect((await run(['--only', 'doubled'])).started).toEqual(['doubled']);
    expect((await run(['--from', 'doubled', '--to', 'doubled'])).started).toEqual(['doubled']);
  });

  it('the plain view names the reused steps and the run they come from', async () => {
    await run([]);
    const { code, stdout } = await stepwise(['run', 'ok.json', '--store', store, '--from', 'total']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✔ doubled\s+test_double\s+reused from run_\S+, not run$/m);
    expect(stdout).not.toContain('numbers');
    expect(stdout).toMatch(/completed in \S+: 1 reused, 1 completed\./);
  });

  it('does not reuse an output whose step, or a step before it, changed: it names the missing ones; exit 2', async () => {
    await run([]);
    const { code, stderr, started } = await run(['--set', 'numbers.count=2', '--from', 'total']);
    expect(code).toBe(2);
    expect(started).toEqual([]);
    expect(stderr).toContain(
      `--from total: no earlier output of step "doubled" (test_double) in the store ${store} to start from.`,
    );
    expect(stderr).toContain('Run it first: without --from/--to/--only, or with --from doubled.');
    // with the change run from where it starts, the later partial run finds it
    expect((await run(['--set', 'numbers.count=2'])).code).toBe(0);
    expect(await outputOf(['--set', 'numbers.count=2', '--from', 'total'], 'total')).toBe(6);
  });

  it('an empty store: every step it would read is named; exit 2', async () => {
    const { code, stderr } = await run(['--only', 'total']);
    expect(code).toBe(2);
    expect(stderr).toContain('--only total: no earlier output of step "doubled" (test_double)');
  });

  it('a step that does not exist, a selection that selects nothing, --only with --from, the memory store; exit 2', async () => {
    const unknown = await stepwise(['run', 'ok.json', '--store', store, '--from', 'totl']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'error: --from totl: the workflow has no step "totl". Did you mean "total"?\n  Its steps: numbers, doubled, total.\n',
    );
    const nothing = await stepwise(['run', 'ok.json', '--store', store, '--from', 'total', '--to', 'numbers']);
    expect(nothing.stderr).toContain('--from total --to numbers selects no step');
    const both = await stepwise(['run', 'ok.json', '--store', store, '--only', 'total', '--from', 'doubled']);
    expect(both.stderr).toContain('--only names the steps to run by itself');
    const memory = await stepwise(['run', 'ok.json', '--from', 'total']);
    expect(memory.code).toBe(2);
    expect(memory.stderr).toContain('the store is "memory". Pass --store <dir>.');
  });
});

describe('run --output <step>=file', () => {
  it("writes any step's output, not only the workflow's outputs", async () => {
    expect(await outputOf([], 'numbers')).toEqual([1, 2, 3, 4]);
  });

  it('a name that is neither an output nor a step, with the closest; exit 2', async () => {
    const { code, stderr } = await stepwise(['run', 'ok.json', '-o', 'numbrs=x.json']);
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--output numbrs=x.json: the workflow has no output or step "numbrs". Did you mean "numbers"?',
    );
  });
});
