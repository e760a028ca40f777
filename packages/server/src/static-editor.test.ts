// The editor's built files, served at / by a real server (a stand-in build folder, so the test does
// not depend on building the editor): pages and assets, nothing outside the folder, the token too.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, startServer } from './test-kit.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function builtEditor(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-ui-dist-'));
  made.push(dir);
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>Stepwise</title><script src="./assets/app.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("editor");');
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  return dir;
}

describe("the editor's files", () => {
  it('serves index.html at / and the assets, and nothing outside the folder or hidden', async () => {
    const { url } = await startServer({ uiDir: builtEditor() });
    const page = await call(url, 'GET', '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('<title>Stepwise</title>');
    const asset = await call(url, 'GET', '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    for (const path of ['/.env', '/../package.json', '/assets/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd'])
      expect((await call(url, 'GET', path)).status, path).toBeGreaterThanOrEqual(400);
    expect((await call(url, 'GET', '/api/status')).status).toBe(200);
  });

  it('with a token: the files load without it (a browser can open the page), every /api address asks for it', async () => {
    const token = 'a-token-of-enough-length';
    const { url } = await startServer({ uiDir: builtEditor(), token });
    for (const path of ['/', '/index.html', '/assets/app.js'])
      expect((await call(url, 'GET', path)).status, path).toBe(200);
    expect((await call(url, 'GET', '/missing.js')).status).toBe(404);
    expect((await call(url, 'GET', '/.env')).status).toBeGreaterThanOrEqual(400);
    const bearer = { headers: { authorization: `Bearer ${token}` } };
    for (const path of [
      '/api/status',
      '/api/workflows',
      '/api/runs',
      '/api/nope',
      '/api',
      '/API/status',
      '/%61pi/status',
      '/%61pi/nope',
      '/api/status?x=1',
    ]) {
      const answer = await call(url, 'GET', path);
      expect(answer.status, path).toBe(401);
      expect(answer.json, path).toEqual({ code: 'UNAUTHORIZED', message: 'Send Authorization: Bearer <token>.' });
    }
    expect((await call(url, 'HEAD', '/api/status')).status).toBe(401);
    expect((await call(url, 'POST', '/api/runs', { body: { workflowId: 'x' } })).status).toBe(401);
    expect((await call(url, 'GET', '/api/status', bearer)).status).toBe(200);
    expect((await call(url, 'GET', '/', bearer)).status).toBe(200);
  });
});
