// Pruning a store while other processes run workflows on it: no run may lose a value it uses.
// Spawns plain node on the built core (`npm run build` first; npm test does).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { FileStore } from './file/file-store.js';
import { pruneStore } from './prune.js';
import type { Store } from './store.js';

const child = fileURLToPath(new URL('../../test-fixtures/prune-race-child.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'stepwise-prune-race-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface ChildReport {
  completed: number;
  failures: { code?: string; message?: string }[];
}

/** Runs the workflow `runs` times in a child process on `store`; answers what it printed. */
function runsInChild(store: string, runs: number): { done: Promise<ChildReport>; exited: () => boolean } {
  const proc = spawn(process.execPath, [child, store, String(runs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const done = new Promise<ChildReport>((resolve, reject) =>
    proc.on('exit', (code) => {
      try {
        resolve(JSON.parse(stdout) as ChildReport);
      } catch {
        reject(new Error(`the child exited (${code}) without a report:\n${stdout}${stderr}`));
      }
    }),
  );
  return { done, exited: () => proc.exitCode !== null || proc.signalCode !== null };
}

/**
 * The store with a pause before the cache entries are listed: between reading the runs and removing
 * the entries of the values to go, when a run may take one of those entries (the race to lose).
 */
function slowly(store: FileStore): Store {
  const { values, runs, cache } = store;
  const keys = async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return cache.keys();
  };
  return {
    values,
    runs,
    cache: { get: (k) => cache.get(k), set: (k, r) => cache.set(k, r), delete: (k) => cache.delete(k), keys },
  };
}

describe('pruneStore while runs are running', () => {
  it('2 processes x 20 runs (cached steps shared between them) and prune --keep 0 with no grace in a loop: no run fails', async () => {
    const store = join(root, 'store');
    new FileStore(store);
    const children = [runsInChild(store, 20), runsInChild(store, 20)];
    let prunes = 0;
    let valuesDeleted = 0;
    let runsDeleted = 0;
    while (!children.every((c) => c.exited())) {
      const report = await pruneStore(slowly(new FileStore(store)), { keepRuns: 0, orphanGraceMs: 0 });
      prunes += 1;
      valuesDeleted += report.valuesDeleted;
      runsDeleted += report.runsDeleted;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const reports = await Promise.all(children.map((c) => c.done));
    expect(reports.flatMap((r) => r.failures)).toEqual([]);
    expect(reports.map((r) => r.completed)).toEqual([20, 20]);
    // the prunes did remove finished runs and their values while the runs went on
    expect(prunes).toBeGreaterThan(5);
    expect(runsDeleted).toBeGreaterThan(0);
    expect(valuesDeleted).toBeGreaterThan(0);
  }, 120_000);
});
