import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import type { QueueWorkerOptions } from '../queue-worker.js';

/** The Redis the tests use: REDIS_URL, else the local default. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Why the queue tests cannot run here (Redis unreachable), or undefined when they can. With
 * STEPWISE_REQUIRE_ALL=1 the tests run anyway, and fail.
 */
export async function redisSkipReason(url = REDIS_URL): Promise<string | undefined> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return `Redis is not reachable at ${url} (${error instanceof Error ? error.message : String(error)}); start redis-server or set REDIS_URL`;
  } finally {
    redis.disconnect();
  }
}

/** True when the queue tests should run: Redis answers, or STEPWISE_REQUIRE_ALL=1 (then they fail). */
export async function queueTestsRun(file: string): Promise<boolean> {
  const reason = await redisSkipReason();
  if (reason === undefined) return true;
  if (process.env.STEPWISE_REQUIRE_ALL === '1') return true;
  console.warn(`${file}: skipped: ${reason}`);
  return false;
}

/**
 * Children still running; killed after the test file (a test that hits its timeout never reaches its
 * own cleanup, and vitest ends the test process without an 'exit' event).
 */
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Keeps `child` in {@link children} while it runs. */
function tracked(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A unique key prefix per test, so parallel tests never share jobs. */
export function testPrefix(name: string): string {
  return `stepwise-test:${name}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
}

/** A queue worker in a child process (see worker-main.ts); resolves once it takes jobs. */
export async function spawnWorker(options: QueueWorkerOptions & { graceMs?: number }): Promise<TestWorker> {
  const main = fileURLToPath(new URL('./worker-main.mjs', import.meta.url));
  const child = tracked(
    spawn(process.execPath, [main, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  const worker = new TestWorker(child);
  await worker.waitFor('ready', 20_000);
  return worker;
}

/** The `stepwise` bin of this repository (the built CLI). */
export const STEPWISE_BIN = fileURLToPath(new URL('../../../cli/bin/stepwise.js', import.meta.url));

/** `stepwise worker --config <config>` in a child process; resolves once it takes jobs. */
export async function spawnCliWorker(config: string, args: string[] = []): Promise<TestWorker> {
  const child = tracked(
    spawn(process.execPath, [STEPWISE_BIN, 'worker', '--config', config, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    }),
  );
  const worker = new TestWorker(child);
  await worker.waitFor('taking jobs', 20_000);
  return worker;
}

/**
 * Any other `stepwise` command in a child process (`run`, `serve`), in `cwd`, killed after the test
 * file if still running; `exited` resolves with its exit code once it ends and its output is read.
 */
export function spawnStepwise(args: string[], cwd: string): TestWorker & { exited: Promise<number | null> } {
  const child = tracked(
    spawn(process.execPath, [STEPWISE_BIN, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    }),
  );
  const exited = once(child, 'close').then(([code]) => code as number | null);
  return Object.assign(new TestWorker(child), { exited });
}

/** A spawned worker: its output so far, and how to stop it. */
export class TestWorker {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';

  constructor(child: ChildProcess) {
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  /** Resolves when stdout has `text`; rejects when the process exits first or after `ms`. */
  async waitFor(text: string, ms: number): Promise<void> {
    const started = Date.now();
    while (!this.stdout.includes(text)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(
          `worker exited (${this.child.exitCode ?? this.child.signalCode}) before "${text}": ${this.stderr}`,
        );
      if (Date.now() - started > ms) throw new Error(`worker did not print "${text}" in ${ms} ms: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends `signal` and waits for the process to end (SIGKILL after 15 s). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Why a redis-server of the test's own cannot be started here, or undefined when it can. */
export function redisServerSkipReason(): string | undefined {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return found.status === 0 ? undefined : 'redis-server is not installed (apt-get install redis-server)';
}

/**
 * A redis-server of the test's own on a free port (or `port`: a restart), without persistence (so a
 * test may stop it); `args` adds settings (`['--maxmemory-policy', 'allkeys-lru']`).
 */
export async function startRedisServer(
  args: string[] = [],
  port?: number,
): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  port ??= await freePort();
  const child = tracked(
    spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
  );
  const url = `redis://127.0.0.1:${port}`;
  const started = Date.now();
  while ((await redisSkipReason(url)) !== undefined) {
    if (child.exitCode !== null || Date.now() - started > 10_000)
      throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}
