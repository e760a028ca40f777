// Issue 14: "the live view and --dry-run mark pushed-down segments", and the run's result is the same
// with pushdown on and off.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configurePushdown, resetPushdownConfig } from '@stepwise/dataframe';
import { describe, expect, it } from 'vitest';
import { fixtures, stepwise, tempDir } from './test-io.js';

function project(): string {
  const dir = tempDir();
  const steps = JSON.stringify(join(fixtures, 'steps.ts'));
  writeFileSync(join(dir, 'stepwise.config.mjs'), `export default { steps: [${steps}], store: 'store' };\n`);
  const rows = ['id,group,value', '1,a,0.5', '2,b,', '3,a,2', '4,c,0.1'];
  writeFileSync(join(dir, 'sales.csv'), `${rows.join('\n')}\n`);
  const workflow = [
    { id: 'load', type: 'read_csv', config: { path: 'sales.csv' } },
    { id: 'keep', type: 'filter_rows', config: { where: 'd.value > 0.2' } },
    { id: 'by_group', type: 'aggregate', config: { groupBy: ['group'], aggregates: [{ op: 'count' }] } },
    { id: 'save', type: 'write_json', config: { path: 'out.json' } },
  ];
  writeFileSync(
    join(dir, 'workflow.json'),
    JSON.stringify({ format: 'stepwise.workflow', version: 1, id: 'w', steps: workflow }),
  );
  return dir;
}

describe('pushed-down segments in the CLI', () => {
  it('marks them in --dry-run and in the run view, and writes the same result with pushdown off', async () => {
    const cwd = project();
    const plan = await stepwise(['run', 'workflow.json', '--dry-run'], { cwd });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('Pushed down to DuckDB as one query: load → keep → by_group.');
    expect(plan.stdout).toMatch(/keep .*pushed down to DuckDB/);
    expect(plan.stdout).not.toMatch(/save .*pushed down/);
    const run = await stepwise(['run', 'workflow.json'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/by_group .*⇣ DuckDB/);
    const on = readFileSync(join(cwd, 'out.json'), 'utf8');
    expect(JSON.parse(on)).toEqual([{ group: 'a', count: 2 }]);
    configurePushdown({ enabled: false });
    const off = await stepwise(['run', 'workflow.json'], { cwd }).finally(() => resetPushdownConfig());
    expect(off.code).toBe(0);
    expect(off.stdout).not.toContain('DuckDB');
    expect(readFileSync(join(cwd, 'out.json'), 'utf8')).toBe(on);
  });
});
