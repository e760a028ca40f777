import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors/codes.js';
import { findConfig } from './find-config.js';
import { loadConfig } from './load-config.js';

const loaded = globalThis as { stepwiseConfigTest?: string[] };

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const stepModule = (name: string) =>
  `const label: string = ${JSON.stringify(name)};\n` +
  `const g = globalThis as { stepwiseConfigTest?: string[] };\n` +
  `(g.stepwiseConfigTest ??= []).push(label);\n`;

afterEach(() => {
  delete loaded.stepwiseConfigTest;
});

describe('findConfig', () => {
  it('finds the config in the start directory or the nearest parent', () => {
    const dir = project({ 'stepwise.config.ts': 'export default { steps: [] };', 'a/b/readme.txt': '' });
    expect(findConfig(join(dir, 'a', 'b'))).toBe(join(dir, 'stepwise.config.ts'));
    expect(findConfig(dir)).toBe(join(dir, 'stepwise.config.ts'));
  });

  it('prefers .ts, and finds .mjs when it is the only one', () => {
    const dir = project({ 'stepwise.config.mjs': 'export default { steps: [] };' });
    expect(findConfig(dir)).toBe(join(dir, 'stepwise.config.mjs'));
  });
});

describe('loadConfig', () => {
  it('loads a TypeScript config and its TypeScript step modules in order, paths resolved from the config', async () => {
    const dir = project({
      'stepwise.config.ts':
        "const store: string = 'data/store';\nexport default { steps: ['./steps/one.ts', './steps/two.ts'], store, dataRoot: '..', logLevel: 'info' };",
      'steps/one.ts': stepModule('one'),
      'steps/two.ts': stepModule('two'),
      'sub/dir/.keep': '',
    });
    const config = await loadConfig(undefined, { cwd: join(dir, 'sub', 'dir') });
    expect(loaded.stepwiseConfigTest).toEqual(['one', 'two']);
    expect(config).toMatchObject({
      path: join(dir, 'stepwise.config.ts'),
      root: dir,
      steps: [join(dir, 'steps/one.ts'), join(dir, 'steps/two.ts')],
      store: join(dir, 'data/store'),
      dataRoot: join(dir, '..'),
      logLevel: 'info',
    });
  });

  it('fills in the defaults: file store under .stepwise/store, data root at the config', async () => {
    const dir = project({ 'stepwise.config.mjs': 'export default { steps: [] };' });
    const config = await loadConfig(join(dir, 'stepwise.config.mjs'));
    expect(config).toMatchObject({
      store: join(dir, '.stepwise/store'),
      workflows: join(dir, 'workflows'),
      dataRoot: dir,
      logLevel: 'warn',
    });
  });

  it('the queue section: its store defaults to the project store, its prefix to the project folder', async () => {
    const dir = project({
      'stepwise.config.mjs': "export default { steps: [], queue: { redis: 'redis://10.0.0.5:6379', concurrency: 4 } };",
    });
    expect((await loadConfig(join(dir, 'stepwise.config.mjs'))).queue).toEqual({
      redis: 'redis://10.0.0.5:6379',
      concurrency: 4,
      store: join(dir, '.stepwise/store'),
      prefix: `stepwise:${basename(dir)}`,
    });
    const shared = project({
      'stepwise.config.mjs': "export default { steps: [], queue: { store: '/mnt/shared/store' } };",
    });
    expect((await loadConfig(join(shared, 'stepwise.config.mjs'))).queue.store).toBe('/mnt/shared/store');
  });

  it('a bad queue field is named with what was expected', async () => {
    const dir = project({ 'stepwise.config.mjs': "export default { steps: [], queue: { redis: 'localhost:6379' } };" });
    await expect(loadConfig(join(dir, 'stepwise.config.mjs'))).rejects.toThrow(
      /`queue.redis` must be a redis:\/\/ or rediss:\/\/ URL, not "localhost:6379"/,
    );
  });

  it('keeps store: memory', async () => {
    const dir = project({ 'stepwise.config.mjs': "export default { steps: [], store: 'memory' };" });
    expect((await loadConfig(join(dir, 'stepwise.config.mjs'))).store).toBe('memory');
  });

  it('returns the defaults rooted at cwd when no config exists', async () => {
    const dir = project({});
    const config = await loadConfig(undefined, { cwd: dir });
    expect(config).toMatchObject({ path: undefined, root: dir, steps: [] });
  });

  it('does not import step modules when asked not to', async () => {
    const dir = project({ 'stepwise.config.mjs': "export default { steps: ['./s.ts'] };", 's.ts': stepModule('s') });
    await loadConfig(join(dir, 'stepwise.config.mjs'), { importSteps: false });
    expect(loaded.stepwiseConfigTest).toBeUndefined();
  });
});

describe('loadConfig failures name the file and the cause', () => {
  async function failure(path: string) {
    return loadConfig(path).then(
      () => expect.unreachable('loadConfig should fail'),
      (error: unknown) => error as { code: string; message: string; details: Record<string, unknown> },
    );
  }

  it('a missing file', async () => {
    const dir = project({});
    const error = await failure(join(dir, 'nope.config.ts'));
    expect(error.code).toBe(ErrorCode.CONFIG_LOAD_FAILED);
    expect(error.message).toContain(join(dir, 'nope.config.ts'));
    expect(error.message).toContain('does not exist');
  });

  it('a config that throws while loading', async () => {
    const dir = project({ 'stepwise.config.ts': "throw new Error('boom in config');\nexport default {};" });
    const error = await failure(join(dir, 'stepwise.config.ts'));
    expect(error.code).toBe(ErrorCode.CONFIG_LOAD_FAILED);
    expect(error.message).toContain(join(dir, 'stepwise.config.ts'));
    expect(error.message).toContain('boom in config');
  });

  it('names a run history: a sqlite file made absolute against the config, a PostgreSQL URL as given', async () => {
    const dir = project({
      'stepwise.config.mjs': "export default { steps: [], history: 'sqlite:.stepwise/history.db' };",
    });
    expect((await loadConfig(join(dir, 'stepwise.config.mjs'))).history).toBe(
      `sqlite:${join(dir, '.stepwise/history.db')}`,
    );
    const pg = project({ 'stepwise.config.mjs': "export default { steps: [], history: 'postgres://u@db:5432/x' };" });
    expect((await loadConfig(join(pg, 'stepwise.config.mjs'))).history).toBe('postgres://u@db:5432/x');
    const none = project({ 'stepwise.config.mjs': 'export default { steps: [] };' });
    expect((await loadConfig(join(none, 'stepwise.config.mjs'))).history).toBeUndefined();
    const bad = project({ 'stepwise.config.mjs': "export default { steps: [], history: 'mysql://x' };" });
    expect((await failure(join(bad, 'stepwise.config.mjs'))).message).toContain(
      "`history` must be 'sqlite:' and a file, e.g. 'sqlite:.stepwise/history.db', or a PostgreSQL URL",
    );
  });

  it('a config of the wrong shape: a sentence per field, never a zod dump', async () => {
    const dir = project({
      'stepwise.config.mjs': "export default { steps: ['./a.ts', 4], store: 3, logLevel: 'loud', colour: 'blue' };",
    });
    const file = join(dir, 'stepwise.config.mjs');
    const error = await failure(file);
    expect(error.message).toBe(
      `Could not load config ${file}: ` +
        '`steps[1]` must be a path or a package name (a non-empty string), not 4; ' +
        "`store` must be 'memory' or a folder path, e.g. '.stepwise/store', not 3; " +
        '`logLevel` must be one of silent, fatal, error, warn, info, debug, trace, not "loud"; ' +
        '`colour` is not a config field (the fields: steps, dataRoot, store, workflows, history, retention, logLevel, queue).',
    );
    expect(error).not.toHaveProperty('cause');
    const missing = await failure(
      join(project({ 'stepwise.config.mjs': 'export default {};' }), 'stepwise.config.mjs'),
    );
    expect(missing.message).toMatch(
      /`steps` is missing: it must be a list of step modules .*, e\.g\. \['\.\/steps\.ts'\]\.$/,
    );
  });

  it('a config without a default export', async () => {
    const dir = project({ 'stepwise.config.mjs': 'export const steps = [];' });
    expect((await failure(join(dir, 'stepwise.config.mjs'))).message).toContain('default export');
  });

  it('a step module that does not exist, with the module and the config', async () => {
    const dir = project({ 'stepwise.config.mjs': "export default { steps: ['./missing-steps.ts'] };" });
    const error = await failure(join(dir, 'stepwise.config.mjs'));
    expect(error.code).toBe(ErrorCode.CONFIG_LOAD_FAILED);
    expect(error.message).toContain('missing-steps.ts');
    expect(error.message).toContain(join(dir, 'stepwise.config.mjs'));
  });
});
