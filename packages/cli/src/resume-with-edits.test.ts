// The loop "run, see a step fail, fix the cause in the JSON, continue": resume takes the file as it is now,
// keeps what did not change, and runs the fixed step and those after it; --dry-run says which and why.
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, stepwise, tempDir } from './test-io.js';

/** A project folder (also the data root) with the fixture step types and the data files given. */
function project(files: Record<string, string>): string {
  const dir = tempDir();
  const steps = JSON.stringify(join(fixtures, 'steps.ts'));
  writeFileSync(join(dir, 'stepwise.config.mjs'), `export default { steps: [${steps}], store: 'store' };\n`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function writeWorkflow(dir: string, steps: unknown[]): void {
  writeFileSync(
    join(dir, 'workflow.json'),
    JSON.stringify({ format: 'stepwise.workflow', version: 1, id: 'edits', steps }),
  );
}

interface Event {
  type: string;
  stepId?: string;
  reusedFrom?: string;
  cached?: boolean;
}

const events = (stdout: string): Event[] =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Event);
const started = (list: Event[]) => list.filter((e) => e.type === 'step.started').map((e) => e.stepId);
const runIdOf = (text: string) => /Run (run_\S+) started/.exec(text)?.[1] ?? '';

describe('resume with the workflow file as it is now', () => {
  it('after fixing a misspelt column in the JSON, runs only the fixed step and those after it', async () => {
    const cwd = project({ 'people.json': '[{"name":"Ada","age":36},{"name":"Linus","age":28}]' });
    const steps = (column: string) => [
      { id: 'load', type: 'read_json', config: { path: 'people.json' } },
      { id: 'pick', type: 'select', config: { columns: [column] } },
      { id: 'save', type: 'write_json', config: { path: 'names.json' } },
    ];
    writeWorkflow(cwd, steps('nmae'));
    const failed = await stepwise(['run', 'workflow.json'], { cwd });
    expect(failed.code).toBe(1);
    const runId = runIdOf(failed.stdout);
    expect(failed.stdout).toContain(`npx stepwise resume ${runId} workflow.json`);

    writeWorkflow(cwd, steps('name'));
    const plan = await stepwise(['resume', runId, 'workflow.json', '--dry-run'], { cwd });
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(new RegExp(`↺ load\\s+read_json\\s+reuse \\(unchanged since ${runId}\\)`));
    expect(plan.stdout).toMatch(new RegExp(`▶ pick\\s+select\\s+run: it failed in ${runId}`));
    expect(plan.stdout).toMatch(new RegExp(`▶ save\\s+write_json\\s+run: it was skipped in ${runId}`));
    expect(plan.stdout).toContain('2 to run, 0 from the cache, 1 reused. Nothing was run (--dry-run).');

    const resumed = await stepwise(['resume', runId, 'workflow.json', '--json'], { cwd });
    expect(resumed.code, resumed.stderr).toBe(0);
    const list = events(resumed.stdout);
    expect(started(list)).toEqual(['pick', 'save']);
    expect(list.find((e) => e.stepId === 'load' && e.type === 'step.completed')?.reusedFrom).toBe(runId);
    expect(JSON.parse(readFileSync(join(cwd, 'names.json'), 'utf8'))).toEqual([{ name: 'Ada' }, { name: 'Linus' }]);
  });

  it('after raising a timeout in the JSON, the step runs again under the new timeout', async () => {
    const cwd = project({});
    const steps = (timeoutMs: number) => [
      { id: 'numbers', type: 'test_numbers', config: {} },
      { id: 'wait', type: 'test_sleep', config: { ms: 300 }, strategy: { timeoutMs } },
    ];
    writeWorkflow(cwd, steps(20));
    const failed = await stepwise(['run', 'workflow.json'], { cwd });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('timed out after 20 ms');
    writeWorkflow(cwd, steps(30_000));
    const resumed = await stepwise(['resume', runIdOf(failed.stdout), 'workflow.json'], { cwd });
    expect(resumed.code, resumed.stdout).toBe(0);
    expect(resumed.stdout).toMatch(/✔ numbers\s+test_numbers\s+\S+\s+reused/);
    expect(resumed.stdout).toMatch(/✔ wait\s+test_sleep/);
  });
});

describe('run --dry-run', () => {
  it('says which steps would come from the cache and why the others would run: config, input, file', async () => {
    const cwd = project({ 'sales.csv': 'region,value\nnorth,1\nsouth,\n' });
    utimesSync(join(cwd, 'sales.csv'), 1_700_000_000, 1_700_000_000);
    const steps = (threshold: number) => [
      { id: 'load', type: 'read_csv', config: { path: 'sales.csv' }, strategy: { cache: true } },
      { id: 'clean', type: 'clean_nulls', config: { threshold }, strategy: { cache: true } },
      { id: 'top', type: 'head', config: { n: 1 }, strategy: { cache: true } },
    ];
    writeWorkflow(cwd, steps(0.25));
    const first = await stepwise(['run', 'workflow.json'], { cwd });
    expect(first.code, first.stdout).toBe(0);
    const runId = runIdOf(first.stdout);

    const same = await stepwise(['run', 'workflow.json', '--dry-run'], { cwd });
    expect(same.stdout).toContain(`A new run of edits, compared with its latest run ${runId}:`);
    expect(same.stdout).toContain('0 to run, 3 from the cache. Nothing was run (--dry-run).');

    writeWorkflow(cwd, steps(0.5));
    const edited = await stepwise(['run', 'workflow.json', '--dry-run'], { cwd });
    expect(edited.stdout).toMatch(/⚡ load\s+read_csv\s+cached/);
    expect(edited.stdout).toMatch(/▶ clean\s+clean_nulls\s+run: config: threshold 0\.25 → 0\.5; not in the cache/);
    expect(edited.stdout).toMatch(/▶ top\s+head\s+run: input clean changed; not in the cache/);

    writeWorkflow(cwd, steps(0.25));
    writeFileSync(join(cwd, 'sales.csv'), 'region,value\nnorth,1\n');
    const json = await stepwise(['run', 'workflow.json', '--dry-run', '--json'], { cwd });
    const plan = JSON.parse(json.stdout) as {
      steps: { id: string; action: string; reasons: { code: string; message: string }[] }[];
    };
    expect(plan.steps.map((step) => step.action)).toEqual(['run', 'run', 'run']);
    expect(plan.steps[0]?.reasons[0]).toMatchObject({
      code: 'FILE_CHANGED',
      message: 'file sales.csv changed (28 bytes → 21 bytes)',
    });
    expect(readFileSync(join(cwd, 'sales.csv'), 'utf8')).toBe('region,value\nnorth,1\n');
  });
});
