// `stepwise validate` reports a column that does not exist before anything runs: read_csv's header
// gives the columns, and filter_rows' expression is checked against them.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stepwise, tempDir } from './test-io.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A project folder (also the data root) with a CSV file and a workflow filtering on `where`. */
function project(where: string): string {
  const dir = tempDir();
  made.push(dir);
  writeFileSync(join(dir, 'stepwise.config.mjs'), "export default { steps: [], store: 'memory' };\n");
  writeFileSync(join(dir, 'sales.csv'), 'id,region,price\n1,north,2.5\n');
  const workflow = {
    format: 'stepwise.workflow',
    version: 1,
    id: 'columns',
    steps: [
      { id: 'load', type: 'read_csv', config: { path: 'sales.csv' } },
      { id: 'keep', type: 'filter_rows', config: { where } },
    ],
  };
  writeFileSync(join(dir, 'workflow.json'), JSON.stringify(workflow));
  return dir;
}

describe('stepwise validate: a column that does not exist', () => {
  it('is an issue at the expression, naming the column and the available ones (exit 2)', async () => {
    const cwd = project('d.pricee > 1');
    const { code, stderr } = await stepwise(['validate', 'workflow.json'], { cwd });
    expect(code).toBe(2);
    expect(stderr).toContain('is not a valid workflow (1 issue); nothing was run.');
    expect(stderr).toMatch(/steps\[1\] \(step "keep"\)\.config\.where: /);
    expect(stderr).toContain(
      'reads column "pricee", which the input does not have; available columns: id, region, price.',
    );
    const json = await stepwise(['validate', 'workflow.json', '--json'], { cwd });
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      issues: [{ code: 'CONFIG_INVALID', pathText: 'steps[1].config.where' }],
    });
  });

  it('an existing column validates', async () => {
    const { code, stdout } = await stepwise(['validate', 'workflow.json'], { cwd: project('d.price > 1') });
    expect(code).toBe(0);
    expect(stdout).toContain('is valid: 2 steps.');
  });
});
