// `stepwise validate` checks what it can without running, and says what it could not check.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, stepwise, tempDir } from '../test-io.js';

describe('stepwise validate', () => {
  it('a valid workflow whose columns were all checked: one line, exit 0', async () => {
    const { code, stdout } = await stepwise(['validate', 'ok.json']);
    expect(code).toBe(0);
    expect(stdout).toBe(`✔ ${join(fixtures, 'ok.json')} is valid: 3 steps.\n`);
  });

  it('names the steps whose columns it could not check, and the step type without an infer hook to blame', async () => {
    const { code, stdout } = await stepwise(['validate', 'unchecked.json']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      `✔ ${join(fixtures, 'unchecked.json')} is valid: 5 steps.\n` +
        'Not checked without running:\n' +
        '  the columns step "first" reads: step "opaque" (test_chatty) does not declare the columns it outputs (its step type has no infer hook).\n',
    );
    const json = JSON.parse((await stepwise(['validate', 'unchecked.json', '--json'])).stdout);
    expect(json).toMatchObject({
      valid: true,
      issues: [],
      unchecked: [
        {
          stepId: 'first',
          type: 'test_pick',
          input: 'input',
          cause: { kind: 'step', stepId: 'opaque', type: 'test_chatty', hasInfer: false },
        },
      ],
    });
  });

  it('an input file that does not exist: its path under the data root; exit 2', async () => {
    const { code, stdout } = await stepwise(['validate', 'missing-csv.json']);
    expect(code).toBe(2);
    expect(stdout).toContain('missing-csv.json is valid (1 step), but 1 problem would stop it running:');
    expect(stdout).toContain(
      `steps[0] (step "load").config.path: Step "load" (read_csv) reads "data/missing.csv", which does not exist under the data root ${fixtures} and no earlier step writes. [FILE_NOT_FOUND]`,
    );
  });

  it('a path outside the data root; a file an earlier step writes is fine', async () => {
    const dir = tempDir();
    const document = {
      format: 'stepwise.workflow',
      version: 1,
      id: 'paths',
      name: 'Paths',
      description: '',
      inputs: {},
      steps: [
        { id: 'numbers', type: 'test_numbers', config: {} },
        {
          id: 'save',
          type: 'write_json',
          config: { path: 'out/numbers.json' },
          inputs: { input: { ref: 'ref_abcdefghijklmnop' } },
        },
        { id: 'again', type: 'read_json', config: { path: 'out/numbers.json' } },
        { id: 'escape', type: 'read_json', config: { path: '../../../etc/passwd' } },
      ],
      outputs: {},
    };
    writeFileSync(join(dir, 'paths.json'), JSON.stringify(document));
    const { code, stdout } = await stepwise(['validate', join(dir, 'paths.json'), '--json']);
    expect(code).toBe(2);
    const { valid, issues } = JSON.parse(stdout) as {
      valid: boolean;
      issues: { code: string; path: (string | number)[]; pathText: string }[];
    };
    expect(valid).toBe(false);
    expect(issues.map(({ code, pathText }) => [code, pathText])).toEqual([
      ['PATH_OUTSIDE_DATA_ROOT', 'steps[3].config.path'],
    ]);
    // the editor's form field, without parsing text
    expect(issues[0]).toMatchObject({ path: ['steps', 3, 'config', 'path'] });
  });

  it('a write to the config file or a step module: refused before anything runs, the files untouched', async () => {
    const dir = tempDir();
    const save = (id: string, path: string) => ({
      id,
      type: 'write_json',
      config: { path },
      inputs: { input: { ref: 'ref_abcdefghijklmnop' } },
    });
    const document = {
      format: 'stepwise.workflow',
      version: 1,
      id: 'plant',
      steps: [save('config', 'stepwise.config.ts'), save('module', './steps.ts')],
      outputs: {},
    };
    writeFileSync(join(dir, 'plant.json'), JSON.stringify(document));
    const before = [readFileSync(join(fixtures, 'stepwise.config.ts')), readFileSync(join(fixtures, 'steps.ts'))];
    const { code, stdout } = await stepwise(['validate', join(dir, 'plant.json'), '--json']);
    expect(code).toBe(2);
    const { issues } = JSON.parse(stdout) as { issues: { code: string; pathText: string; message: string }[] };
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'WRITE_REFUSED',
        pathText: 'steps[0].config.path',
        message: expect.stringContaining('it is the project config, which the project loads as code'),
      }),
      expect.objectContaining({ code: 'WRITE_REFUSED', pathText: 'steps[1].config.path' }),
    ]);
    // run without validate: the step itself refuses (its table given with --input)
    writeFileSync(join(dir, 'rows.csv'), 'a\n1\n');
    const planted = {
      ...document,
      inputs: { rows: { type: 'DataFrame' } },
      steps: [{ ...save('config', 'stepwise.config.ts'), inputs: { input: { input: 'rows' } } }],
    };
    writeFileSync(join(dir, 'plant-run.json'), JSON.stringify(planted));
    const run = await stepwise(['run', join(dir, 'plant-run.json'), '-i', `rows=${join(dir, 'rows.csv')}`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Refusing to write "stepwise.config.ts": it is the project config');
    expect([readFileSync(join(fixtures, 'stepwise.config.ts')), readFileSync(join(fixtures, 'steps.ts'))]).toEqual(
      before,
    );
  });

  it("a step on a worker thread reads under the config's data root, not the working directory", async () => {
    const { code, stdout } = await stepwise(['--config', 'tables.config.ts', 'run', 'threads-read.json', '--json']);
    expect(code).toBe(0);
    expect(stdout).toContain('"type":"run.completed"');
  });
});
