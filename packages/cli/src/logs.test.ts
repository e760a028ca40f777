// The command's logs: pino at the config's logLevel (debug with --verbose), on stderr, never on stdout.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureCopy, fixtures, stepwise, tempDir } from './test-io.js';

/** A project whose config sets `logLevel`, with the fixture step types and a copy of chatty.json. */
function projectWithLogLevel(level: string): { dir: string; workflow: string } {
  const dir = tempDir();
  const steps = JSON.stringify(join(fixtures, 'steps.ts'));
  writeFileSync(
    join(dir, 'stepwise.config.mjs'),
    `export default { steps: [${steps}], store: 'memory', logLevel: '${level}' };`,
  );
  return { dir, workflow: fixtureCopy('chatty.json', dir) };
}

describe('logs', () => {
  it('at the default level (warn) a completed run logs nothing', async () => {
    const { code, stderr } = await stepwise(['run', 'chatty.json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it("follow the config's logLevel: info shows the step's info line, not its debug line", async () => {
    const { dir, workflow } = projectWithLogLevel('info');
    const { code, stdout, stderr } = await stepwise(['run', workflow], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^info {2}talk: info from the step$/m);
    expect(stderr).toMatch(/^info {2}run started {2}workflowId="chatty"/m);
    expect(stderr).not.toContain('debug from the step');
    expect(stdout).not.toContain('from the step');
  });

  it('--verbose logs at debug', async () => {
    const { code, stderr } = await stepwise(['run', 'chatty.json', '--verbose']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^debug talk: debug from the step$/m);
    expect(stderr).toMatch(/^info {2}talk: info from the step$/m);
  });

  it("a failed step is left to the run's report: no log line says it again", async () => {
    const dir = tempDir();
    const flag = join(dir, 'flag');
    writeFileSync(flag, '');
    const { code, stdout, stderr } = await stepwise(['run', fixtureCopy('flaky.json', dir, flag)]);
    expect(code).toBe(1);
    expect(stdout).toContain(`Error: flag file ${flag} is present`);
    expect(stderr).toBe('');
  });

  it('with --json, stdout is only the NDJSON events and the logs are pino JSON lines on stderr', async () => {
    const { code, stdout, stderr } = await stepwise(['run', 'chatty.json', '--json', '--verbose']);
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(events.every((event) => typeof event.type === 'string')).toBe(true);
    const entries = stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; stepId?: string });
    expect(entries).toContainEqual(expect.objectContaining({ level: 20, msg: 'debug from the step', stepId: 'talk' }));
  });

  it('a step on worker threads logs and reports progress like an inline one: lines on stderr, events on stdout', async () => {
    const verbose = await stepwise(['run', 'chatty-threads.json', '--verbose']);
    expect(verbose.code).toBe(0);
    for (const row of [1, 2, 3, 4, 5, 6])
      expect(verbose.stderr).toMatch(new RegExp(`^info {2}talk: squaring ${row}$`, 'm'));
    const { code, stdout } = await stepwise(['run', 'chatty-threads.json', '--json']);
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; stepId?: string; message?: string; done?: number });
    const logs = events.filter((event) => event.type === 'step.log' && event.stepId === 'talk');
    expect(logs.map((event) => event.message).sort()).toEqual([1, 2, 3, 4, 5, 6].map((row) => `squaring ${row}`));
    const progress = events.filter((event) => event.type === 'step.progress' && event.stepId === 'talk');
    expect(progress.map((event) => event.done).sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
