/**
 * `ctx.log` and `ctx.progress` of a step running on a `stepwise worker` process reach the user as
 * they do for inline and threads steps: `stepwise run` prints the log lines and emits `step.log` and
 * `step.progress` events, and `stepwise serve` sends them on the run's event stream.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  queueTestsRun,
  REDIS_URL,
  spawnCliWorker,
  spawnStepwise,
  type TestWorker,
  testPrefix,
} from './test-kit/redis.js';

const runs = await queueTestsRun('queue worker logs');
const STEPS = fileURLToPath(new URL('./test-kit/fault-steps.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'stepwise-queue-logs-'));
const spawned: TestWorker[] = [];
let worker: TestWorker | undefined;

interface RunEvent {
  type: string;
  stepId?: string;
  level?: string;
  message?: string;
  done?: number;
  total?: number;
}

/** The step's logs and progress among `events`, as the user sees them. */
function reported(events: RunEvent[]) {
  const talk = events.filter((event) => event.stepId === 'talk');
  return {
    logs: talk.filter((event) => event.type === 'step.log').map(({ level, message }) => ({ level, message })),
    progress: talk.filter((event) => event.type === 'step.progress').map(({ done, total }) => ({ done, total })),
  };
}

describe.skipIf(!runs)('logs and progress of a step on a queue worker', () => {
  beforeAll(async () => {
    const queue = { redis: REDIS_URL, store: join(dir, 'store'), prefix: testPrefix('logs') };
    writeFileSync(
      join(dir, 'stepwise.config.mjs'),
      `export default ${JSON.stringify({ steps: [STEPS], store: join(dir, 'store'), logLevel: 'info', queue })};\n`,
    );
    mkdirSync(join(dir, 'workflows'));
    const document = {
      format: 'stepwise.workflow',
      version: 1,
      id: 'chatty',
      name: 'Chatty on the queue',
      description: '',
      steps: [{ id: 'talk', type: 'q_chatty', config: {}, strategy: { executor: 'queue' } }],
      outputs: { who: { step: 'talk' } },
    };
    writeFileSync(join(dir, 'workflows', 'chatty.json'), JSON.stringify(document));
    worker = await spawnCliWorker(join(dir, 'stepwise.config.mjs'));
  }, 30_000);
  afterAll(async () => {
    await Promise.all([worker, ...spawned].map((child) => child?.stop('SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it('stepwise run prints them (stderr) and emits them as events (--json)', async () => {
    const pid = worker?.child.pid;
    const text = spawnStepwise(['run', 'workflows/chatty.json'], dir);
    spawned.push(text);
    expect(await text.exited).toBe(0);
    expect(text.stderr).toMatch(new RegExp(`^info {2}talk: hello from worker ${pid}$`, 'm'));
    expect(text.stderr).toMatch(new RegExp(`^warn {2}talk: half way {2}pid=${pid}$`, 'm'));

    const json = spawnStepwise(['run', 'workflows/chatty.json', '--json'], dir);
    spawned.push(json);
    expect(await json.exited).toBe(0);
    const events = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RunEvent);
    expect(reported(events)).toEqual({
      logs: [
        { level: 'info', message: `hello from worker ${pid}` },
        { level: 'warn', message: 'half way' },
      ],
      progress: [
        { done: 1, total: 2 },
        { done: 2, total: 2 },
      ],
    });
  }, 60_000);

  it("stepwise serve sends them on the run's event stream", async () => {
    const port = await freePort();
    const server = spawnStepwise(['serve', '--port', String(port)], dir);
    spawned.push(server);
    await server.waitFor('listening on', 20_000);
    const base = `http://127.0.0.1:${port}/api`;
    const started = await fetch(`${base}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workflowId: 'chatty' }),
    });
    expect(started.status).toBe(202);
    const { runId } = (await started.json()) as { runId: string };
    // the stream replays the run's events from the start and ends after run.completed
    const stream = await fetch(`${base}/runs/${runId}/events`, { signal: AbortSignal.timeout(30_000) });
    const events = (await stream.text())
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as RunEvent);
    expect(events.at(-1)?.type).toBe('run.completed');
    const { logs, progress } = reported(events);
    expect(logs).toEqual([
      { level: 'info', message: `hello from worker ${worker?.child.pid}` },
      { level: 'warn', message: 'half way' },
    ]);
    // progress is thinned on the stream (about 10 a second per step): at least the first is there
    expect(progress[0]).toEqual({ done: 1, total: 2 });
    await server.stop();
  }, 60_000);
});
