// run --from, --to, --only: part of a workflow, the other steps' earlier outputs read from the store;
// and --output for any step's output.
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fixtures, stepwise, tempDir } from './test-io.js';

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

describe('partial runs reuse what core considers unchanged (the step key)', () => {
  /** A project folder (also the data root) with the fixture step types and a file store. */
  function project(): string {
    const dir = tempDir();
    const steps = JSON.stringify(join(fixtures, 'steps.ts'));
    writeFileSync(join(dir, 'stepwise.config.mjs'), `export default { steps: [${steps}], store: 'store' };\n`);
    writeFileSync(join(dir, 'people.json'), '[{"name":"Ada","age":36}]');
    const steps2 = [
      { id: 'load', type: 'read_json', config: { path: 'people.json' } },
      { id: 'pick', type: 'select', config: { columns: ['name'] } },
    ];
    writeFileSync(
      join(dir, 'people-flow.json'),
      JSON.stringify({ format: 'stepwise.workflow', version: 1, id: 'people', steps: steps2 }),
    );
    return dir;
  }

  it('does not reuse the output of a step whose file changed, as a resume would not; an unchanged one it does', async () => {
    const cwd = project();
    const whole = await stepwise(['run', 'people-flow.json'], { cwd });
    expect(whole.code).toBe(0);
    const runId = /Run (run_\S+) started/.exec(whole.stdout)?.[1] ?? '';
    const unchanged = await stepwise(['run', 'people-flow.json', '--from', 'pick'], { cwd });
    expect(unchanged.code).toBe(0);
    expect(unchanged.stdout).toMatch(new RegExp(`✔ load\\s+read_json\\s+reused from ${runId}, not run`));

    writeFileSync(join(cwd, 'people.json'), '[{"name":"Ada","age":36},{"name":"Linus","age":28}]');
    utimesSync(join(cwd, 'people.json'), new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    // core: resuming the whole run would run load again, for its file
    const plan = await stepwise(['resume', runId, 'people-flow.json', '--dry-run'], { cwd });
    expect(plan.stdout).toMatch(/▶ load\s+read_json\s+run: .*people\.json/);
    // the CLI agrees: no earlier output of load stands
    const changed = await stepwise(['run', 'people-flow.json', '--from', 'pick'], { cwd });
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain('no earlier output of step "load" (read_json)');
  });

  it("reuses a step an earlier partial run computed from an output it read (by the step's key in the whole workflow)", async () => {
    expect((await run([])).code).toBe(0);
    const { code, stdout } = await stepwise(['run', 'ok.json', '--store', store, '--from', 'doubled']);
    expect(code).toBe(0);
    const partialId = /Run (run_\S+) started/.exec(stdout)?.[1] ?? '';
    const only = await stepwise(['run', 'ok.json', '--store', store, '--only', 'total']);
    expect(only.code).toBe(0);
    expect(only.stdout).toMatch(new RegExp(`✔ doubled\\s+test_double\\s+reused from ${partialId}, not run`));
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
