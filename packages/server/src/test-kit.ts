// Test helpers: a temporary project and a real server listening on 127.0.0.1. (Not in the package.)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, onTestFinished } from 'vitest';
import { createServer, type StepwiseServer } from './create-server.js';
import type { ServerOptions } from './options.js';

/** The fixture step module (JSON step types). */
export const FIXTURE_STEPS = resolve(fileURLToPath(new URL('.', import.meta.url)), '../test-fixtures/steps.ts');

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary project: a config listing the fixture steps and the table library, a file store. */
export function tempProject(extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-server-'));
  made.push(dir);
  mkdirSync(join(dir, 'workflows'));
  const config = { steps: [FIXTURE_STEPS, '@stepwise/dataframe'], store: '.stepwise/store', ...extra };
  writeFileSync(join(dir, 'stepwise.config.mjs'), `export default ${JSON.stringify(config)};\n`);
  return dir;
}

/** A listening server over `tempProject()` (or `options.cwd`), closed when the test ends. */
export async function startServer(
  options: ServerOptions = {},
): Promise<{ server: StepwiseServer; url: string; dir: string }> {
  const dir = options.cwd ?? tempProject();
  const server = await createServer({ uiDir: false, ...options, cwd: dir });
  const url = await server.listen();
  onTestFinished(() => server.close());
  return { server, url, dir };
}

/** A document of `steps` (`[id, type, config]`). */
export function workflow(id: string, steps: [string, string, Record<string, unknown>?][]): Record<string, unknown> {
  return {
    format: 'stepwise.workflow',
    version: 1,
    id,
    name: `Workflow ${id}`,
    steps: steps.map(([stepId, type, config]) => ({ id: stepId, type, config: config ?? {} })),
  };
}

/** What `call` answers. */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read fields of the JSON body freely
  json: any;
}

/**
 * A request through node:http (so that Host, Origin and any header can be set as a client would),
 * JSON in and out.
 */
export function call(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string | Buffer; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const target = new URL(path, url);
  const payload =
    options.raw !== undefined ? options.raw : options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(payload !== undefined ? { 'content-length': String(Buffer.byteLength(payload)) } : {}),
    ...options.headers,
  };
  return new Promise((done, fail) => {
    const req = httpRequest(target, { method, headers, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        done({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', fail);
    });
    req.on('error', fail);
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Polls `GET /api/runs/:id` until the run's status is one of `statuses` (10 s at most). */
export async function waitForRun(
  url: string,
  runId: string,
  statuses: string[] = ['completed'],
  headers: Record<string, string> = {},
): Promise<Answer> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await call(url, 'GET', `/api/runs/${runId}`, { headers });
    if (statuses.includes(answer.json?.status)) return answer;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} is ${answer.json?.status ?? answer.status}, not ${statuses.join('/')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** An event stream as a client reads it: the events so far, and whether the server ended it. */
export interface EventClient {
  // biome-ignore lint/suspicious/noExplicitAny: events are read field by field
  events: any[];
  ids: number[];
  status: number;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Resolves when an event passes `test`. */
  // biome-ignore lint/suspicious/noExplicitAny: as above
  until(test: (event: any) => boolean): Promise<void>;
  /** Drops the connection (as a closed tab or a lost network does). */
  drop(): void;
}

/** Opens `GET /api/runs/:id/events` with a plain HTTP client that parses the SSE frames. */
export function followEvents(
  url: string,
  runId: string,
  options: { lastEventId?: number; after?: number; headers?: Record<string, string> } = {},
): Promise<EventClient> {
  const query = options.after === undefined ? '' : `?after=${options.after}`;
  const headers: Record<string, string> = {
    accept: 'text/event-stream',
    ...(options.lastEventId === undefined ? {} : { 'last-event-id': String(options.lastEventId) }),
    ...options.headers,
  };
  return new Promise((done, fail) => {
    const req = httpRequest(new URL(`/api/runs/${runId}/events${query}`, url), { headers }, (res) => {
      const client: EventClient = {
        events: [],
        ids: [],
        status: res.statusCode ?? 0,
        ended: new Promise((resolve) => res.on('end', () => resolve())),
        until: (test) =>
          new Promise((resolve, reject) => {
            if (client.events.some(test)) return resolve();
            waiters.push({ test, resolve });
            res.on('close', () => reject(new Error('the stream closed first')));
          }),
        drop: () => req.destroy(),
      };
      const waiters: { test: (event: unknown) => boolean; resolve: () => void }[] = [];
      let buffer = '';
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (\d+)$/m.exec(frame);
          const data = /^data: (.*)$/m.exec(frame);
          if (id === null || data === null) continue;
          const event = JSON.parse(data[1] as string);
          client.ids.push(Number(id[1]));
          client.events.push(event);
          for (const waiter of [...waiters]) if (waiter.test(event)) waiter.resolve();
        }
      });
      res.on('error', () => {});
      done(client);
    });
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') fail(error);
    });
    req.end();
  });
}
