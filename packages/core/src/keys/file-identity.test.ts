import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileIdentityText, identifyFile } from './file-identity.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-file-identity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('identifyFile', () => {
  it('tells size and modification time, and a missing file as missing', async () => {
    const path = join(dir, 'a.csv');
    writeFileSync(path, 'x,y\n1,2\n');
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    expect(await identifyFile('a.csv', path)).toEqual({ path: 'a.csv', size: 8, mtimeMs: 1_700_000_000_000 });
    expect(await identifyFile('gone.csv', join(dir, 'gone.csv'))).toEqual({ path: 'gone.csv', missing: true });
  });

  it('with hash, sees a change that keeps the size and the modification time', async () => {
    const path = join(dir, 'same.csv');
    writeFileSync(path, 'x\n1\n');
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    const before = await identifyFile('same.csv', path, { hash: true });
    writeFileSync(path, 'x\n2\n');
    utimesSync(path, 1_700_000_000, 1_700_000_000);
    const plain = await identifyFile('same.csv', path);
    const hashed = await identifyFile('same.csv', path, { hash: true });
    expect(fileIdentityText({ ...before, sha256: undefined } as never)).toBe(fileIdentityText(plain));
    expect(hashed.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fileIdentityText(hashed)).not.toBe(fileIdentityText(before));
  });
});
