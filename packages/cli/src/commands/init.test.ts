import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepwise, tempDir } from '../test-io.js';

describe('stepwise init', () => {
  it('creates a project in the folder given, relative to cwd, and prints the next commands; exit 0', async () => {
    const cwd = tempDir();
    const { code, stdout } = await stepwise(['init', 'orders'], { cwd });
    expect(code).toBe(0);
    expect(stdout).toBe(
      'Created the Stepwise project "orders" in orders (8 files).\n\nNext:\n  cd orders\n  npm install\n' +
        '  npx stepwise run workflows/orders.json\n\nREADME.md lists the commands that follow.\n',
    );
    for (const file of ['package.json', 'stepwise.config.ts', 'steps.ts', 'workflows/orders.json', 'data/orders.csv'])
      expect(existsSync(join(cwd, 'orders', file)), file).toBe(true);
  });

  it('refuses a folder that is not empty, unless --force; exit 2', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'mine.txt'), '');
    const refused = await stepwise(['init'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`error: ${cwd} is not empty (mine.txt); nothing was written.`);
    expect(existsSync(join(cwd, 'package.json'))).toBe(false);
    const forced = await stepwise(['init', '--force'], { cwd });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('in this folder (8 files)');
  });
});

describe('--help', () => {
  it('every command ends with examples; run and resume with the exit codes', async () => {
    const commands = ['init', 'run', 'resume', 'runs', 'show', 'preview', 'prune', 'validate', 'steps', 'schema'];
    for (const command of commands) {
      const { code, stdout } = await stepwise([command, '--help']);
      expect(code, command).toBe(0);
      expect(stdout, command).toMatch(new RegExp(`\\nExamples:\\n  \\$ npx stepwise ${command}`));
    }
    for (const command of ['run', 'resume']) {
      const { stdout } = await stepwise([command, '--help']);
      expect(stdout).toMatch(
        /Exit codes:\n {2}0 {4}the run completed.*\n {2}1 {4}the run failed.*\n {2}2 .*\n {2}129 .*\n {2}130 .*\n {2}143 /,
      );
    }
    const top = await stepwise(['--help']);
    expect(top.stdout).toContain('Examples:\n  $ npx stepwise init my-project');
  });
});
