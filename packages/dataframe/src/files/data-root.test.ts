import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { configureFiles, filesConfig, resetFilesConfig, resolveDataPath, resolveOutputPath } from './data-root.js';

let root: string;
let elsewhere: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sw-root-'));
  elsewhere = mkdtempSync(join(tmpdir(), 'sw-else-'));
  writeFileSync(join(elsewhere, 'secret.csv'), 'a\n1\n');
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'ok.csv'), 'a\n1\n');
  configureFiles({ dataRoot: root, allowOutside: false });
});
afterEach(() => resetFilesConfig());

describe('resolveDataPath', () => {
  it('resolves relative paths under the data root', async () => {
    expect(await resolveDataPath('sub/ok.csv')).toBe(join(root, 'sub', 'ok.csv'));
    expect(await resolveDataPath(join(root, 'sub', 'ok.csv'))).toBe(join(root, 'sub', 'ok.csv'));
  });

  it('refuses .., absolute paths elsewhere and symlinks out, naming the path and the root', async () => {
    symlinkSync(elsewhere, join(root, 'link'));
    for (const path of ['../x.csv', 'sub/../../x.csv', join(elsewhere, 'secret.csv'), 'link/secret.csv']) {
      await expect(resolveDataPath(path)).rejects.toMatchObject({
        code: 'PATH_OUTSIDE_DATA_ROOT',
        message: expect.stringContaining(root),
        details: { path },
      });
    }
  });

  it('allows paths outside when configured to', async () => {
    configureFiles({ allowOutside: true });
    expect(await resolveDataPath(join(elsewhere, 'secret.csv'))).toBe(join(elsewhere, 'secret.csv'));
  });

  it('creates the folder of an output path and refuses a symlinked folder out', async () => {
    expect(await resolveOutputPath('new/dir/out.csv')).toBe(join(root, 'new', 'dir', 'out.csv'));
    symlinkSync(elsewhere, join(root, 'out-link'));
    await expect(resolveOutputPath('out-link/new/x.csv')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_DATA_ROOT' });
  });

  it('defaults to STEPWISE_DATA_ROOT from the environment', () => {
    resetFilesConfig();
    const before = process.env.STEPWISE_DATA_ROOT;
    process.env.STEPWISE_DATA_ROOT = elsewhere;
    try {
      expect(filesConfig().dataRoot).toBe(elsewhere);
    } finally {
      if (before === undefined) delete process.env.STEPWISE_DATA_ROOT;
      else process.env.STEPWISE_DATA_ROOT = before;
    }
  });
});
