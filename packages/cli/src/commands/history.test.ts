// stepwise runs, show and preview: the runs kept in a file store, looked at without running anything.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureCopy, stepwise, tempDir } from '../test-io.js';

let store: string;
/** Run ids, oldest first: two completed runs of ok.json, then a failed run of flaky.json. */
let ids: string[];

const runIdOf = (stdout: string) => /Run (run_\S+) /.exec(stdout)?.[1] ?? '';

beforeAll(async () => {
  const dir = tempDir();
  store = join(dir, 'store');
  const flag = join(dir, 'flag');
  writeFileSync(flag, '');
  ids = [];
  for (const argv of [
    ['run', 'ok.json'],
    ['run', 'ok.json', '--set', 'numbers.count=2'],
    ['run', fixtureCopy('flaky.json', dir, flag)],
  ]) {
    const { stdout } = await stepwise([...argv, '--store', store]);
    ids.push(runIdOf(stdout));
  }
  expect(ids.every((id) => id.startsWith('run_'))).toBe(true);
});

describe('stepwise runs', () => {
  it('lists the runs newest first: id, workflow, status, started, duration; exit 0', async () => {
    const { code, stdout } = await stepwise(['runs', '--store', store]);
    expect(code).toBe(0);
    const rows = stdout.split('\n').filter((line) => line.includes('run_'));
    expect(rows.map((row) => /run_\S+/.exec(row)?.[0])).toEqual([...ids].reverse());
    expect(rows[0]).toMatch(/│ ✖ │ run_\S+ │ flaky\s+│ failed\s+│ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d │\s+\d+ms │/);
    expect(rows[2]).toMatch(/│ ✔ │ run_\S+ │ ok\s+│ completed │/);
    expect(stdout).toContain(`3 runs in ${store}, newest first. One run: stepwise show <run>`);
  });

  it('filters by workflow and status, pages with --limit, and prints JSON', async () => {
    const ok = await stepwise(['runs', '--store', store, '--workflow', 'ok', '--json']);
    const listed = JSON.parse(ok.stdout) as { runs: { id: string; status: string }[]; more: boolean };
    expect(listed.runs.map((r) => r.id)).toEqual([ids[1], ids[0]]);
    expect(listed.more).toBe(false);
    const failed = JSON.parse(
      (await stepwise(['runs', '--store', store, '--status', 'failed,cancelled', '--json'])).stdout,
    );
    expect(failed.runs.map((r: { id: string }) => r.id)).toEqual([ids[2]]);
    const one = await stepwise(['runs', '--store', store, '--limit', '1']);
    expect(one.stdout).toContain('1 run in');
    expect(one.stdout).toContain('more with --limit 2');
    const none = await stepwise(['runs', '--store', store, '--workflow', 'nothing']);
    expect(none.stdout).toBe(`No matching runs in ${store}.\n`);
  });

  it('a status that does not exist, with the closest; exit 2', async () => {
    const { code, stderr } = await stepwise(['runs', '--store', store, '--status', 'complete']);
    expect(code).toBe(2);
    expect(stderr).toContain('--status complete: not a run status. Did you mean "completed"?');
    expect(stderr).toContain('The statuses: pending, running, completed, failed, skipped, cancelled, interrupted.');
  });

  it('a store no run has made yet: no runs, and the folder is not created; memory: exit 2', async () => {
    const empty = join(tempDir(), 'nothing-here');
    const { code, stdout } = await stepwise(['runs', '--store', empty]);
    expect(code).toBe(0);
    expect(stdout).toBe(`No runs in ${empty}.\n`);
    expect(existsSync(empty)).toBe(false);
    const memory = await stepwise(['runs']);
    expect(memory.code).toBe(2);
    expect(memory.stderr).toContain('runs reads the runs kept in a file store; the store is "memory"');
  });
});

describe('stepwise show <run>', () => {
  it("a failed run: each step's status, attempts, duration and rows, then the error with its cause", async () => {
    const { code, stdout } = await stepwise(['show', ids[2] as string, '--store', store]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^Run ${ids[2]} of workflow "flaky" \\(Fails while a flag file exists\\): failed\\n`),
    );
    expect(stdout).toMatch(/│ ✔ │ numbers │ test_numbers │ completed │\s+\S+ │\s+3 │/);
    expect(stdout).toMatch(/│ ✖ │ check\s+│ test_flaky\s+│ failed\s+│.*│\s+1 │/);
    expect(stdout).toMatch(/│ ↷ │ doubled │ test_double\s+│ skipped\s+│/);
    expect(stdout).toMatch(
      /Step "check" \(test_flaky\) failed:\n {2}Error: flag file .* is present \[UNKNOWN_ERROR\]\n {4}caused by Error: the disk said no/,
    );
  });

  it('a completed run lists its outputs; --json prints the stored run', async () => {
    const { stdout } = await stepwise(['show', ids[0] as string, '--store', store]);
    expect(stdout).toMatch(/Outputs:\n {2}doubled → ref_\S+ \(JSON, 4 rows\)\n {2}total → ref_\S+ \(JSON\)/);
    const json = JSON.parse((await stepwise(['show', ids[0] as string, '--store', store, '--json'])).stdout);
    expect(json.summary).toMatchObject({ id: ids[0], workflowId: 'ok', status: 'completed' });
    expect(json.record.steps.map((s: { id: string }) => s.id)).toEqual(['numbers', 'doubled', 'total']);
  });

  it('an unknown run id, or something that is not one; exit 2', async () => {
    const unknown = await stepwise(['show', 'run_doesnotexist', '--store', store]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`Run run_doesnotexist is not in the store ${store}.`);
    const bad = await stepwise(['show', '../etc', '--store', store]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"../etc" is not a run id');
  });
});

describe("stepwise preview / show <run> <step>: a step's output", () => {
  it('the first rows as a table with the column type, the size, and how many are shown', async () => {
    const { code, stdout } = await stepwise(['preview', ids[0] as string, 'doubled', '--store', store, '--rows', '2']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `^Output of step "doubled" \\(test_double\\) in run ${ids[0]}: JSON, 4 rows, \\S+ B \\(ref_\\S+\\)\\n`,
      ),
    );
    expect(stdout).toMatch(/│ {2}value │\n│ number │\n├─+┤\n│ +2 │\n│ +4 │\n└/);
    expect(stdout).toContain('2 rows of 4 shown; more with --rows 4, all of it with --csv <file>.');
    const show = await stepwise(['show', ids[0] as string, 'doubled', '--store', store, '--rows', '2']);
    expect(show.stdout).toBe(stdout);
  });

  it('--json, a ref, and --csv (a table only)', async () => {
    const json = JSON.parse(
      (await stepwise(['preview', ids[1] as string, 'doubled', '--store', store, '--json'])).stdout,
    );
    expect(json).toMatchObject({
      type: 'JSON',
      rows: 2,
      columns: [{ name: 'value', type: 'number' }],
      head: [{ value: 2 }, { value: 4 }],
    });
    const byRef = await stepwise(['preview', json.ref, '--store', store]);
    expect(byRef.stdout).toMatch(new RegExp(`^Output of step "doubled" in run ${ids[1]}: JSON, 2 rows`));
    const csv = await stepwise([
      'preview',
      ids[1] as string,
      'doubled',
      '--store',
      store,
      '--csv',
      join(tempDir(), 'd.csv'),
    ]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('is JSON, not a table: --csv writes a DataFrame or a JSON list of objects.');
  });

  it("an unknown step names the run's steps; a step that did not complete has no output; exit 2", async () => {
    const unknown = await stepwise(['preview', ids[0] as string, 'dubled', '--store', store]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`error: Run ${ids[0]} has no step "dubled".\n  Its steps: numbers, doubled, total.\n`);
    const skipped = await stepwise(['show', ids[2] as string, 'doubled', '--store', store]);
    expect(skipped.code).toBe(2);
    expect(skipped.stderr).toContain(`Step "doubled" of run ${ids[2]} is skipped: it has no output to show.`);
    const missing = await stepwise(['preview', 'run_nope', 'doubled', '--store', store]);
    expect(missing.code).toBe(2);
  });

  it('a JSON list of objects becomes a table, and --csv writes it', async () => {
    const dir = tempDir();
    const document = JSON.parse(readFileSync(fixtureCopy('ok.json', dir), 'utf8'));
    document.steps = [{ id: 'table', type: 'test_table', config: { columns: ['a', 'b'] } }];
    document.outputs = {};
    writeFileSync(join(dir, 'table.json'), JSON.stringify(document));
    const run = await stepwise(['run', join(dir, 'table.json'), '--store', store]);
    const id = runIdOf(run.stdout);
    const { stdout } = await stepwise(['preview', id, 'table', '--store', store]);
    expect(stdout).toMatch(/│ +a │ +b │\n│ number │ number │\n├─+┼─+┤\n│ +1 │ +1 │\n└/);
    const file = join(dir, 'table.csv');
    const csv = await stepwise(['preview', id, 'table', '--store', store, '--csv', file]);
    expect(csv.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,1\n');
  });
});
