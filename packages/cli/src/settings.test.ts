// `stepwise run --set step.key=value`: a step's parameter for one run, validated like the document.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCopy, fixtures, stepwise, tempDir } from './test-io.js';

describe('run --set step.key=value', () => {
  it("sets a step's parameter for this run only: JSON values, the document file untouched", async () => {
    const before = readFileSync(join(fixtures, 'ok.json'), 'utf8');
    const { code, stdout } = await stepwise(['run', 'ok.json', '--set', 'numbers.count=2', '--json']);
    expect(code).toBe(0);
    const completed = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; stepId?: string; rows?: number })
      .find((event) => event.type === 'step.completed' && event.stepId === 'doubled');
    expect(completed?.rows).toBe(2);
    expect(readFileSync(join(fixtures, 'ok.json'), 'utf8')).toBe(before);
  });

  it('keeps the text of a value for a parameter that takes text, even when it reads as a number', async () => {
    const dir = tempDir();
    const flag = join(dir, 'flag');
    const workflow = fixtureCopy('flaky.json', dir, flag);
    // "12345" names no file, so check passes; as the number 12345 it would not validate
    const { code, stderr } = await stepwise(['run', workflow, '--set', 'check.flag=12345']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('a bad value: the path, the step and what was expected; exit 2, nothing run', async () => {
    const { code, stdout, stderr } = await stepwise(['run', 'ok.json', '--set', 'numbers.count=abc']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'ok.json is not a valid workflow with --set numbers.count=abc (1 issue); nothing was run.',
    );
    expect(stderr).toContain(
      'steps[0] (step "numbers").config.count: Config of step "numbers" (test_numbers): expected number, got "abc". [CONFIG_INVALID]',
    );
  });

  it('an unknown key: the keys the step takes; exit 2', async () => {
    const { code, stderr } = await stepwise(['run', 'ok.json', '--set', 'numbers.cnt=2']);
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown config key "cnt" for step "numbers" (test_numbers); expected one of: count.');
  });

  it('an unknown step, with the closest and the list of steps; exit 2', async () => {
    const { code, stderr } = await stepwise(['run', 'ok.json', '--set', 'nmbers.count=2']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error: --set nmbers.count=2: the workflow has no step "nmbers". Did you mean "numbers"?\n' +
        '  Its steps: numbers, doubled, total.\n',
    );
  });

  it('a malformed --set, with an example; exit 2', async () => {
    for (const text of ['numbers=2', 'numbers.count', '.count=1']) {
      const { code, stderr } = await stepwise(['run', 'ok.json', '--set', text]);
      expect(code).toBe(2);
      expect(stderr).toContain(`--set expects step.key=value, got ${JSON.stringify(text)}.`);
    }
  });

  it('validate takes --set too', async () => {
    const { code, stderr } = await stepwise(['validate', 'ok.json', '--set', 'numbers.count=-1']);
    expect(code).toBe(2);
    expect(stderr).toContain('steps[0] (step "numbers").config.count');
  });
});
