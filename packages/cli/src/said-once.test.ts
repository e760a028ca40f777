// "Messages said once": a failure, a config error, a step module on zod 3 — each said one time, as a sentence.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCopy, stepwise, tempDir } from './test-io.js';

const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('messages said once', () => {
  it("a failed step's error and cause are printed once, after the run, not in the step line or the logs", async () => {
    const dir = tempDir();
    const flag = join(dir, 'flag');
    writeFileSync(flag, '');
    const { code, stdout, stderr } = await stepwise(['run', fixtureCopy('flaky.json', dir, flag)]);
    expect(code).toBe(1);
    const all = stdout + stderr;
    expect(occurrences(all, `flag file ${flag} is present`)).toBe(1);
    expect(occurrences(all, 'the disk said no')).toBe(1);
    expect(stdout).toMatch(/^✖ check\s+test_flaky\s+\S+\s+failed$/m);
    expect(stdout).toContain(
      `Step "check" (test_flaky) failed:\n  Error: flag file ${flag} is present [UNKNOWN_ERROR]`,
    );
  });

  it('a config of the wrong shape is a sentence naming the field and the file, never a ZodError dump', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(dir, 'stepwise.config.ts'), "export default { steps: './steps.ts' };\n");
    const { code, stderr } = await stepwise(['steps'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toBe(
      `error: Could not load config ${join(dir, 'stepwise.config.ts')}: \`steps\` must be a list of step modules ` +
        `(paths relative to the config, or package names), e.g. ['./steps.ts'], not "./steps.ts".\n`,
    );
  });

  it('a step module built on zod 3: one message saying zod 4 is needed and how to get it; exit 2', async () => {
    const { code, stdout, stderr } = await stepwise(['--config', 'zod3.config.ts', 'steps']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: Could not load step module .*zod3-steps\.ts \(listed in .*zod3\.config\.ts\): /);
    expect(stderr).toContain(
      'Step type "test_legacy": its params schema was built with zod 3, and Stepwise needs a zod 4 schema. ' +
        "Import z from 'zod' with zod 4 installed (`npm install zod@^4`), or from 'zod/v4' where the module must stay on zod 3.25.",
    );
    expect(occurrences(stderr, 'built with zod 3')).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('"1 row", not "1 rows"', async () => {
    const dir = tempDir();
    const document = JSON.parse(
      JSON.stringify({
        format: 'stepwise.workflow',
        version: 1,
        id: 'one',
        name: 'One row',
        description: '',
        inputs: {},
        steps: [{ id: 'numbers', type: 'test_numbers', config: { count: 1 } }],
        outputs: {},
      }),
    );
    writeFileSync(join(dir, 'one.json'), JSON.stringify(document));
    const { code, stdout } = await stepwise(['run', join(dir, 'one.json')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/✔ numbers\s+test_numbers\s+\S+\s+1 row\n/);
    expect(stdout).toMatch(/result → ref_\S+ \(JSON, 1 row\)/);
    expect(stdout).not.toContain('1 rows');
  });
});
