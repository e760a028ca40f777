// Regression: under `tsx` (its CommonJS hooks too), `import { table } from 'arquero'` in a user's module
// and the package's lazily required `arquero()` were two copies of Arquero, and the runner refused the
// user's table as "not a DataFrame" (seen in the W2 bench). Now the runner awaits `DataFrameType.load`,
// which imports Arquero with import(): the module the user's import gets.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../..', import.meta.url));

const SCRIPT = `
import { RuntimeContext, Workflow, WorkflowRunner, registry } from '@stepwise/core';
import { arquero } from '@stepwise/dataframe';
import { table } from 'arquero';
const wf = Workflow.fromJSON({
  format: 'stepwise.workflow', version: 1, id: 'w', name: 'w', inputs: { t: { type: 'DataFrame' } },
  steps: [{ id: 's', type: 'select', config: { columns: ['a'] }, inputs: { input: { input: 't' } } }],
  outputs: { out: { step: 's' } },
}, { registry });
const context = new RuntimeContext();
const ref = context.put(table({ a: [1, 2], b: [3, 4] }), { type: 'DataFrame' });
const run = await new WorkflowRunner({ registry }).run(wf, { context, inputs: { t: ref } });
const out = context.get(run.outputs.out);
console.log(JSON.stringify({ two: arquero().ColumnTable !== table({}).constructor, status: run.status, rows: out.numRows() }));
`;

describe('a table of the Arquero a user imports', () => {
  it('is a DataFrame under tsx, and arquero() is then the same module as the user’s import', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    // `two`: whether arquero() and the user's import are two copies of the class in one process
    expect(JSON.parse(result.stdout)).toEqual({ two: false, status: 'completed', rows: 2 });
  });
});
