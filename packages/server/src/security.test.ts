// The abuse list, one test each, through a real server on 127.0.0.1 (a free port): the bind and the
// token, Host and Origin checks, body, content type and header limits, timeouts, event stream caps
// and their release, error bodies, and hostile documents.
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServer } from './create-server.js';
import { tokenMatches } from './security.js';
import { call, followEvents, startServer, tempProject, waitForRun, workflow } from './test-kit.js';

const TOKEN = 'test-token-0123456789abcdef';

/** Writes `text` on a raw socket and answers what came back when the server closed it (or after `ms`). */
function raw(url: string, text: string, ms = 5_000): Promise<string> {
  const { port } = new URL(url);
  return new Promise((done, fail) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      done(answer);
    }, ms);
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
    });
    socket.on('close', () => {
      clearTimeout(timer);
      done(answer);
    });
    socket.on('error', fail);
    socket.write(text);
  });
}

describe('bind and token', () => {
  it('binds 127.0.0.1 by default', async () => {
    const { server, url } = await startServer();
    expect(new URL(url).hostname).toBe('127.0.0.1');
    expect((server.app.server.address() as { address: string }).address).toBe('127.0.0.1');
  });

  it('refuses to start on any other host without a token', async () => {
    await expect(createServer({ cwd: tempProject(), host: '0.0.0.0', uiDir: false })).rejects.toThrow(
      /without a token/,
    );
  });

  it('with a token, refuses every endpoint without it (401) and a wrong one, and answers with it', async () => {
    const { url } = await startServer({ token: TOKEN });
    const openapi = await call(url, 'GET', '/api/openapi.json', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(openapi.status).toBe(200);
    const paths = Object.entries(openapi.json.paths as Record<string, Record<string, unknown>>);
    expect(paths.length).toBeGreaterThan(10);
    for (const [path, methods] of paths) {
      const concrete = path.replace('{id}', path.startsWith('/api/runs') ? 'run_x' : 'w').replace('{ref}', 'ref_x');
      for (const method of Object.keys(methods)) {
        const body = method === 'get' || method === 'delete' ? undefined : {};
        const answer = await call(url, method.toUpperCase(), concrete, { body });
        expect(answer.status, `${method} ${concrete}`).toBe(401);
        expect(answer.json).toEqual({ code: 'UNAUTHORIZED', message: 'Send Authorization: Bearer <token>.' });
        expect(answer.text).not.toContain(TOKEN);
      }
    }
    expect((await call(url, 'GET', '/api/status', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await call(url, 'GET', '/api/status', { headers: { authorization: TOKEN } })).status).toBe(401);
    expect((await call(url, 'GET', '/missing', {})).status).toBe(401);
  });

  it('compares tokens whatever their lengths (hashed first, then in constant time)', () => {
    expect(tokenMatches(TOKEN, `Bearer ${TOKEN}`)).toBe(true);
    expect(tokenMatches(TOKEN, `Bearer ${TOKEN}x`)).toBe(false);
    expect(tokenMatches(TOKEN, 'Bearer ')).toBe(false);
    expect(tokenMatches(TOKEN, undefined)).toBe(false);
  });
});

describe('Host and Origin', () => {
  it('refuses a Host it does not answer to (DNS rebinding)', async () => {
    const { url } = await startServer();
    const port = new URL(url).port;
    const evil = await call(url, 'GET', '/api/status', { headers: { host: `evil.example:${port}` } });
    expect(evil.status).toBe(421);
    expect(evil.json.code).toBe('HOST_REFUSED');
    expect((await call(url, 'GET', '/api/status', { headers: { host: `localhost:${port}` } })).status).toBe(200);
  });

  it('refuses a cross-site Origin, another port included; allows its own and the ones configured', async () => {
    const { url } = await startServer({ allowedOrigins: ['http://localhost:5173'] });
    const port = new URL(url).port;
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, 'http://localhost:9', 'null']) {
      const answer = await call(url, 'POST', '/api/validate', { body: {}, headers: { origin } });
      expect(answer.status, origin).toBe(403);
      expect(answer.json.code).toBe('ORIGIN_REFUSED');
    }
    for (const origin of [`http://127.0.0.1:${port}`, `http://localhost:${port}`, 'http://localhost:5173'])
      expect((await call(url, 'GET', '/api/status', { headers: { origin } })).status, origin).toBe(200);
  });
});

describe('limits', () => {
  it('refuses a body over the limit with 413 at once, without reading the rest', async () => {
    const { url } = await startServer({ bodyLimit: 10_000 });
    const big = await call(url, 'POST', '/api/validate', {
      raw: `"${'x'.repeat(20_000)}"`,
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect(big.json).toEqual({
      code: 'BODY_TOO_LARGE',
      message: 'The request body is larger than the server accepts.',
    });
    // announce 50 MB, send 1 KB: the answer comes without the rest
    const { host } = new URL(url);
    const answer = await raw(
      url,
      `POST /api/validate HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n${' '.repeat(1024)}`,
      3_000,
    );
    expect(answer).toMatch(/^HTTP\/1.1 413/);
  });

  it('has a 1 MiB body limit by default', async () => {
    const { url } = await startServer();
    const body = `"${'x'.repeat(1024 * 1024)}"`;
    expect(
      (await call(url, 'POST', '/api/validate', { raw: body, headers: { 'content-type': 'application/json' } })).status,
    ).toBe(413);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const { url } = await startServer();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await call(url, 'POST', '/api/validate', { raw: '{}', headers: { 'content-type': type } });
      expect(answer.status, type).toBe(415);
      expect(answer.json.code).toBe('CONTENT_TYPE_UNSUPPORTED');
    }
  });

  it('refuses headers over the size limit with 431', async () => {
    const { url } = await startServer();
    const answer = await call(url, 'GET', '/api/status', { headers: { 'x-big': 'y'.repeat(20_000) } });
    expect(answer.status).toBe(431);
    expect(answer.json.code).toBe('HEADERS_TOO_LARGE');
  });

  it('ends a request that does not arrive in time (request timeout) and a silent connection (idle timeout)', async () => {
    const { url } = await startServer({ requestTimeout: 500, headersTimeout: 500 });
    const { host } = new URL(url);
    const started = Date.now();
    const slow = await raw(url, `POST /api/validate HTTP/1.1\r\nHost: ${host}\r\nContent-Type: app`, 8_000);
    expect(slow).toMatch(/^HTTP\/1.1 408/);
    expect(Date.now() - started).toBeLessThan(4_000);
    const idle = await startServer({ idleTimeout: 500 });
    const idleStart = Date.now();
    const silent = await raw(idle.url, '', 8_000);
    expect(silent).toBe('');
    expect(Date.now() - idleStart).toBeLessThan(4_000);
  });
});

describe('event streams', () => {
  it('caps streams per client and in all (429), and releases listeners and timers when clients go away', async () => {
    const { url, dir } = await startServer({ maxEventStreamsPerClient: 2, maxEventStreams: 3 });
    const hold = join(dir, 'hold');
    writeFileSync(hold, '');
    const document = workflow('held', [
      ['numbers', 'srv_numbers'],
      ['gate', 'srv_gate', { hold }],
    ]);
    const { json } = await call(url, 'POST', '/api/runs', { body: { document } });
    const one = await followEvents(url, json.runId);
    const two = await followEvents(url, json.runId);
    const three = await followEvents(url, json.runId);
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(three.status).toBe(429);
    expect((await call(url, 'GET', '/api/status')).json.streams).toBe(2);
    one.drop();
    two.drop();
    const deadline = Date.now() + 5_000;
    while ((await call(url, 'GET', '/api/status')).json.streams !== 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await call(url, 'GET', '/api/status')).json.streams).toBe(0);
    const again = await followEvents(url, json.runId);
    expect(again.status).toBe(200);
    again.drop();
  });
});

describe('errors and hostile input', () => {
  it('answers errors as { code, message } with no stack, absolute path, environment value or token', async () => {
    const secret = 'very-secret-value-42';
    process.env.STEPWISE_TEST_SECRET = secret;
    const { url, dir } = await startServer({ token: TOKEN });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const document = workflow('fails', [['read', 'read_csv', { path: 'missing.csv' }]]);
    const { json } = await call(url, 'POST', '/api/runs', { body: { document }, headers: auth });
    const run = await waitForRun(url, json.runId, ['failed'], auth);
    const error = run.json.steps[0].error;
    expect(error.code).toBeDefined();
    expect(JSON.stringify(run.json.steps)).not.toContain('stack');
    expect(JSON.stringify(run.json.steps)).not.toContain(dir);
    const answers = [
      await call(url, 'GET', '/api/runs/run_none', { headers: auth }),
      await call(url, 'GET', '/api/data/ref_none', { headers: auth }),
      await call(url, 'POST', '/api/plan', { body: { id: 1 }, headers: auth }),
      await call(url, 'POST', '/api/validate', {
        raw: '{"a":',
        headers: { ...auth, 'content-type': 'application/json' },
      }),
      await call(url, 'GET', '/nothing/here', { headers: auth }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(typeof answer.json.code).toBe('string');
      expect(typeof answer.json.message).toBe('string');
      for (const secretText of ['stack', dir, secret, TOKEN, 'node_modules', '    at '])
        expect(answer.text).not.toContain(secretText);
    }
    delete process.env.STEPWISE_TEST_SECRET;
  });

  it('refuses hostile documents as parseWorkflow does: __proto__, duplicate keys, nesting too deep', async () => {
    const { url } = await startServer();
    const proto = await call(url, 'POST', '/api/runs', {
      raw: '{"document": {"__proto__": {"polluted": true}}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(proto.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const document = JSON.stringify(workflow('dup', [['a', 'srv_numbers']]));
    const duplicate = `${document.slice(0, -1)},"steps":[]}`;
    const run = await call(url, 'POST', '/api/runs', {
      raw: `{"document":${duplicate}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(run.status).toBe(400);
    expect(run.json.issues[0]).toMatchObject({ code: 'DUPLICATE_KEY', path: ['document', 'steps'] });
    const validated = await call(url, 'POST', '/api/validate', {
      raw: duplicate,
      headers: { 'content-type': 'application/json' },
    });
    expect(validated.json.valid).toBe(false);
    expect(validated.json.issues[0]).toMatchObject({ code: 'DUPLICATE_KEY', path: ['steps'] });
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    const nested = await call(url, 'POST', '/api/runs', {
      body: { document: { ...workflow('deep', [['a', 'srv_numbers']]), metadata: { deep } } },
    });
    expect(nested.status).toBe(400);
    expect(JSON.stringify(nested.json.issues)).toContain('NESTING_TOO_DEEP');
  });
});
