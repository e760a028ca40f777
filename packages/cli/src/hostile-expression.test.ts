// Issue 8: "stepwise validate calls the document valid and stepwise run executes the code". An
// expression that reaches Function through Arquero's grammar (an arrow with a block body) is now
// refused by both commands before anything runs; the file it would write does not appear.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepwise, tempDir } from './test-io.js';

function project(where: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'stepwise.config.mjs'), "export default { steps: [], store: 'memory' };\n");
  writeFileSync(join(dir, 'sales.csv'), 'id,region,price\n1,north,2.5\n');
  const workflow = {
    format: 'stepwise.workflow',
    version: 1,
    id: 'hostile',
    steps: [
      { id: 'load', type: 'read_csv', config: { path: 'sales.csv' } },
      { id: 'keep', type: 'filter_rows', config: { where } },
    ],
  };
  writeFileSync(join(dir, 'workflow.json'), JSON.stringify(workflow));
  return dir;
}

describe('a hostile expression', () => {
  it('is refused by stepwise validate and stepwise run (exit 2), and nothing runs', async () => {
    const dir = tempDir();
    const canary = join(dir, 'ran.txt');
    const code = `process.getBuiltinModule("fs").writeFileSync(${JSON.stringify(canary)}, JSON.stringify(process.env))`;
    const cwd = project(`d => { ${code}; return true }`);
    for (const command of ['validate', 'run']) {
      const result = await stepwise([command, 'workflow.json'], { cwd });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /steps\[1\] \(step "keep"\)\.config\.where: .*Expression refused at character 3: unexpected "=>"/,
      );
    }
    expect(existsSync(canary)).toBe(false);
  });
});
