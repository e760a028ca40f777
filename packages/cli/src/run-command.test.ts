import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCopy, fixtures, stepwise, tempDir } from './test-io.js';

describe('stepwise run', () => {
  it('runs a workflow: a line per step, the summary, the outputs; exit 0', async () => {
    const { code, stdout } = await stepwise(['run', 'ok.json']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/✔ numbers\s+test_numbers/);
    expect(stdout).toMatch(/✔ total\s+test_sum/);
    expect(stdout).toMatch(/completed in .*3 completed/);
    expect(stdout).toMatch(/total → ref_\S+ \(JSON\)/);
  });

  it('writes an output where --output says', async () => {
    const dir = tempDir();
    const out = join(dir, 'doubled.json');
    const { code, stdout } = await stepwise(['run', 'ok.json', '--output', `doubled=${out}`]);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([2, 4, 6, 8]);
    expect(stdout).toContain(`doubled → ${out}`);
  });

  it('prints the events as NDJSON with --json, and nothing else on stdout', async () => {
    const { code, stdout } = await stepwise(['run', 'ok.json', '--json']);
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; seq: number });
    expect(events[0]?.type).toBe('run.started');
    expect(events.at(-1)?.type).toBe('run.completed');
    expect(events.filter((e) => e.type === 'step.completed')).toHaveLength(3);
  });

  it('loads --input files into the context', async () => {
    const dir = tempDir();
    const out = join(dir, 'doubled.json');
    const { code } = await stepwise(['run', 'with-input.json', '-i', 'values=values.json', '-o', `doubled=${out}`]);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([10, 12]);
  });

  it('asks for a declared input that was not given; exit 2', async () => {
    const { code, stderr } = await stepwise(['run', 'with-input.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('needs input "values"');
  });

  it('reports a failed step with its error and cause and the command to resume; exit 1; resume completes it', async () => {
    const dir = tempDir();
    const flag = join(dir, 'flag');
    writeFileSync(flag, '');
    const workflow = fixtureCopy('flaky.json', dir, flag);
    const store = join(dir, 'store');
    const failed = await stepwise(['run', workflow, '--store', store]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Step "check" (test_flaky) failed:');
    expect(failed.stdout).toContain(`flag file ${flag} is present`);
    expect(failed.stdout).toContain('caused by Error: the disk said no');
    expect(failed.stdout).toMatch(/↷ doubled/);
    expect(failed.stdout).not.toMatch(/^\s+at /m);
    const resume = /npx stepwise resume --store (\S+) (run_\S+)/.exec(failed.stdout);
    expect(resume?.[1]).toBe(store);

    rmSync(flag);
    const resumed = await stepwise(['resume', '--store', store, resume?.[2] ?? '']);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(/✔ check/);
    expect(resumed.stdout).toMatch(/✔ doubled/);
  });

  it("runs a step with strategy.workers on worker threads that load the config's step modules", async () => {
    const dir = tempDir();
    const out = join(dir, 'squared.json');
    const { code, stdout } = await stepwise(['run', 'workers.json', '-o', `squared=${out}`]);
    expect(stdout).toMatch(/✔ squared\s+test_square/);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual([1, 4, 9, 16, 25, 36]);
  });

  it('cancels the run when its signal aborts, then exits 130', async () => {
    const controller = new AbortController();
    const pending = stepwise(['run', 'slow.json'], { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const { code, stdout } = await pending;
    expect(code).toBe(130);
    expect(stdout).toMatch(/⊘ wait/);
  });
});

describe('stepwise validate, steps, schema', () => {
  it('validate: a valid document; exit 0', async () => {
    const { code, stdout } = await stepwise(['validate', 'ok.json']);
    expect(code).toBe(0);
    expect(stdout).toContain('is valid: 3 steps');
  });

  it('validate: every issue; exit 2', async () => {
    const { code, stderr } = await stepwise(['validate', 'invalid.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('2 issues');
  });

  it('steps: the catalog with types, mode and defaults; --json gives the registry catalog', async () => {
    const table = await stepwise(['steps']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/test_numbers.*\(source\) → JSON.*batch.*count: integer = 3/);
    expect(table.stdout).toMatch(/test_flaky.*flag: string \(required\)/);
    const json = await stepwise(['steps', '--json']);
    const catalog = JSON.parse(json.stdout) as { stepTypes: { slug: string }[] };
    expect(catalog.stepTypes.map((s) => s.slug)).toContain('test_double');
  });

  it('schema: the document JSON Schema', async () => {
    const { code, stdout } = await stepwise(['schema']);
    expect(code).toBe(0);
    const schema = JSON.parse(stdout) as { properties?: Record<string, unknown> };
    expect(Object.keys(schema.properties ?? {})).toEqual(expect.arrayContaining(['format', 'steps', 'outputs']));
  });
});

it('run keeps its data in the file store .stepwise/store under the project root by default', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'stepwise.config.mjs'),
    `export default { steps: [${JSON.stringify(join(fixtures, 'steps.ts'))}] };`,
  );
  const workflow = fixtureCopy('ok.json', dir);
  const { code, stdout } = await stepwise(['run', workflow], { cwd: dir });
  expect(code).toBe(0);
  expect(stdout).toContain('in the store .stepwise/store');
  expect(existsSync(join(dir, '.stepwise', 'store', 'runs'))).toBe(true);
});

it('names a written file and its size from a subfolder of the project (writers give paths under the data root)', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'stepwise.config.mjs'), "export default { steps: [], store: 'memory' };");
  writeFileSync(join(dir, 'rows.json'), '[{"a":1},{"a":2}]');
  mkdirSync(join(dir, 'sub'));
  const workflow = {
    format: 'stepwise.workflow',
    version: 1,
    id: 'copy',
    name: 'copy',
    inputs: {},
    steps: [
      { id: 'load', type: 'read_json', config: { path: 'rows.json' } },
      { id: 'save', type: 'write_csv', config: { path: 'out/rows.csv' } },
    ],
    outputs: { file: { step: 'save' } },
  };
  writeFileSync(join(dir, 'copy.json'), JSON.stringify(workflow));
  const written = join(dir, 'out', 'rows.csv');
  const { code, stdout } = await stepwise(['run', '../copy.json'], { cwd: join(dir, 'sub') });
  expect(code).toBe(0);
  expect(stdout).toMatch(new RegExp(`✔ save\\s+write_csv.*\\d+ B\\s+→ ${written}`));
  expect(stdout).toContain(`file → ${written} (file)`);
});
