// "Bad input gets a clear error": each case of the issue, with the message it promises.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCopy, fixtures, stepwise, tempDir } from './test-io.js';

const stackLine = /^\s+at /m;

describe('an unknown command or flag: usage, exit 2', () => {
  it('an unknown command, with the closest one', async () => {
    const { code, stderr } = await stepwise(['rnu']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'rnu'");
    expect(stderr).toContain('Did you mean run?');
    expect(stderr).toContain('Usage: stepwise [options] [command]');
  });

  it("an unknown flag, with the command's usage", async () => {
    const { code, stdout, stderr } = await stepwise(['run', 'ok.json', '--colour']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--colour'");
    expect(stderr).toContain('Usage: stepwise run [options] <workflow>');
    expect(stdout).toBe('');
  });

  it('a missing argument', async () => {
    const { code, stderr } = await stepwise(['run']);
    expect(code).toBe(2);
    expect(stderr).toContain("missing required argument 'workflow'");
    expect(stderr).toContain('Usage: stepwise run');
  });

  it('a malformed --concurrency or --input', async () => {
    const concurrency = await stepwise(['run', 'ok.json', '--concurrency', 'zero']);
    expect(concurrency.code).toBe(2);
    expect(concurrency.stderr).toContain('--concurrency expects a whole number of at least 1, got "zero"');
    const input = await stepwise(['run', 'ok.json', '--input', 'nothing']);
    expect(input.code).toBe(2);
    expect(input.stderr).toContain('--input expects name=value');
  });
});

describe('a document that does not parse or validate: every issue with its path, exit 2, nothing run', () => {
  it('a JSON syntax error names the line and column and shows the line', async () => {
    const { code, stdout, stderr } = await stepwise(['run', 'not-json.json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${join(fixtures, 'not-json.json')} is not valid JSON: line 6, column 3: unexpected "]"`);
    expect(stderr).toContain('  6 |   ]\n');
    expect(stderr).toContain('    |   ^\n');
  });

  it('validate reports the same syntax error, also as a JSON issue', async () => {
    const { code, stderr } = await stepwise(['validate', 'not-json.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('line 6, column 3');
    const json = await stepwise(['validate', 'not-json.json', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      issues: [{ code: 'DOCUMENT_INVALID', pathText: '', message: expect.stringContaining('line 6, column 3') }],
    });
  });

  it('every validation issue with its path; no step ran, no run was stored', async () => {
    const dir = tempDir();
    const touched = join(dir, 'touched');
    const workflow = fixtureCopy('touch-then-invalid.json', dir, touched);
    const store = join(dir, 'store');
    const { code, stdout, stderr } = await stepwise(['run', workflow, '--store', store]);
    expect(code).toBe(2);
    expect(stderr).toContain('is not a valid workflow (1 issue); nothing was run.');
    expect(stderr).toMatch(/steps\[1\] \(step "doubled"\)\.type: /);
    expect(stdout).toBe('');
    // the valid first step has a side effect: it did not happen
    expect(existsSync(touched)).toBe(false);
    expect(existsSync(join(store, 'runs'))).toBe(false);
  });

  it('an --output file a DataFrame cannot be written to, before anything runs', async () => {
    const root = join(fixtures, '../../../..');
    const store = join(tempDir(), 'store');
    const { code, stderr } = await stepwise(
      ['run', 'examples/sales/workflow.json', '--output', 'summary=summary.txt', '--store', store],
      { cwd: root },
    );
    expect(code).toBe(2);
    expect(stderr).toContain('Cannot write the DataFrame to summary.txt: use a .csv, .parquet or .json file.');
    expect(existsSync(join(store, 'runs'))).toBe(false);
  });

  it('a key twice in one object: DUPLICATE_KEY with its path, nothing run; a byte order mark is ignored', async () => {
    const dir = tempDir();
    const touched = join(dir, 'touched');
    const text = readFileSync(join(fixtures, 'ok.json'), 'utf8');
    const doubled = text.replace(
      '"steps": [',
      `"steps": [{ "id": "touch", "type": "test_touch", "config": { "path": ${JSON.stringify(touched)} } }],\n  "steps": [`,
    );
    writeFileSync(join(dir, 'twice.json'), doubled);
    const { code, stdout, stderr } = await stepwise(['run', join(dir, 'twice.json')]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('steps: Key "steps" appears more than once in the document');
    expect(stderr).toContain('[DUPLICATE_KEY]');
    expect(existsSync(touched)).toBe(false);
    writeFileSync(join(dir, 'bom.json'), `\uFEFF${text}`);
    const bom = await stepwise(['validate', join(dir, 'bom.json')]);
    expect(bom.code).toBe(0);
  });

  it('two issues in two steps, each with its path', async () => {
    const { code, stdout, stderr } = await stepwise(['run', 'invalid.json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('(2 issues); nothing was run.');
    expect(stderr).toContain('steps[0] (step "numbers").config.count');
    expect(stderr).toContain('steps[1] (step "doubled").type');
  });
});

it('an unknown step type: the step id, the slug and the closest known slugs', async () => {
  const { code, stderr } = await stepwise(['validate', 'invalid.json']);
  expect(code).toBe(2);
  expect(stderr).toMatch(/steps\[1\] \(step "doubled"\)\.type: .*"test_dubble".*"test_double"/);
  expect(stderr).toContain('[STEP_TYPE_UNKNOWN]');
  const json = await stepwise(['validate', 'invalid.json', '--json']);
  const { issues } = JSON.parse(json.stdout) as { issues: { code: string; pathText: string }[] };
  expect(issues).toContainEqual(expect.objectContaining({ code: 'STEP_TYPE_UNKNOWN', pathText: 'steps[1].type' }));
});

describe('a missing input file: its path and the step that wanted it', () => {
  it('given with --input; exit 2, nothing run', async () => {
    const { code, stdout, stderr } = await stepwise(['run', 'with-input.json', '--input', 'values=nope.json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`Input file ${join(fixtures, 'nope.json')} does not exist`);
    expect(stderr).toContain('input "values" (wanted by step "doubled")');
  });

  it('given with --input but not readable: the input, the step, the file and the cause; exit 2, nothing run', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.json'), '[1, 2,');
    const json = await stepwise(['run', 'with-input.json', '--input', `values=${join(dir, 'broken.json')}`]);
    expect(json.code).toBe(2);
    expect(json.stdout).toBe('');
    expect(json.stderr).toContain(`Input "values" (wanted by step "doubled"): cannot read ${join(dir, 'broken.json')}`);
    writeFileSync(join(dir, 'ragged.csv'), 'a,b\n1,2\n3\n');
    const document = JSON.parse(readFileSync(join(fixtures, 'with-input.json'), 'utf8'));
    document.inputs.values.type = 'DataFrame';
    document.steps = [{ id: 'rows', type: 'head', config: {}, inputs: { input: { input: 'values' } } }];
    document.outputs = {};
    writeFileSync(join(dir, 'table-input.json'), JSON.stringify(document));
    const csv = await stepwise(['run', join(dir, 'table-input.json'), '-i', `values=${join(dir, 'ragged.csv')}`]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('Input "values" (wanted by step "rows"): cannot read');
    expect(csv.stderr).toContain('ragged.csv:3: expected 2 fields');
  });

  it('read by a read_csv step: the step fails naming the file and the data root; exit 1', async () => {
    const { code, stdout } = await stepwise(['run', 'missing-csv.json']);
    expect(code).toBe(1);
    expect(stdout).toContain('Step "load" (read_csv) failed:');
    expect(stdout).toContain(`File "data/missing.csv" does not exist under the data root "${fixtures}"`);
    expect(stdout).toContain('[FILE_NOT_FOUND]');
  });
});

describe('a config file that fails to load: its path and the cause, exit 2', () => {
  function brokenProject(): string {
    const dir = tempDir();
    writeFileSync(join(dir, 'stepwise.config.ts'), "throw new Error('no config for you');\n");
    return dir;
  }

  it('found in the working directory', async () => {
    const dir = brokenProject();
    const { code, stderr } = await stepwise(['steps'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain(join(dir, 'stepwise.config.ts'));
    expect(stderr).toContain('no config for you');
  });

  it('named with --config, and one that does not exist', async () => {
    const dir = brokenProject();
    const broken = await stepwise(['--config', join(dir, 'stepwise.config.ts'), 'run', 'ok.json']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('no config for you');
    const missing = await stepwise(['--config', 'nowhere.config.ts', 'steps']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(join(fixtures, 'nowhere.config.ts'));
    expect(missing.stderr).toContain('does not exist');
  });
});

describe('no stack trace unless --verbose', () => {
  it('a failed run: the report and the logs', async () => {
    const dir = tempDir();
    const flag = join(dir, 'flag');
    writeFileSync(flag, '');
    const workflow = fixtureCopy('flaky.json', dir, flag);
    const quiet = await stepwise(['run', workflow]);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).not.toMatch(stackLine);
    expect(quiet.stderr).not.toMatch(stackLine);
    const verbose = await stepwise(['run', workflow, '--verbose']);
    expect(verbose.code).toBe(1);
    // the failure, with its stack, is reported once: after the run, not again in the logs
    expect(verbose.stdout).toMatch(stackLine);
    expect(verbose.stderr).not.toMatch(stackLine);
  });

  it('an error that ends the command', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'stepwise.config.ts'), "throw new Error('no config for you');\n");
    const quiet = await stepwise(['steps'], { cwd: dir });
    expect(quiet.stderr).toContain('no config for you');
    expect(quiet.stderr).not.toMatch(stackLine);
    const verbose = await stepwise(['steps', '--verbose'], { cwd: dir });
    expect(verbose.stderr).toMatch(stackLine);
  });
});
