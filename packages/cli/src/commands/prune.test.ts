import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepwise, tempDir } from '../test-io.js';

interface SavedRun {
  id: string;
  startedAt: number;
  outputs: { [name: string]: string };
}

/** A file store holding `runs` completed runs of ok.json; their records, oldest first. */
async function storeWithRuns(runs: number): Promise<{ store: string; records: SavedRun[] }> {
  const store = join(tempDir(), 'store');
  for (let i = 0; i < runs; i++) expect((await stepwise(['run', 'ok.json', '--store', store])).code).toBe(0);
  const records = readdirSync(join(store, 'runs'))
    .map((name) => JSON.parse(readFileSync(join(store, 'runs', name), 'utf8')) as SavedRun)
    .sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1));
  return { store, records };
}

const valueFiles = (store: string) => readdirSync(join(store, 'values')).sort();

describe('stepwise prune', () => {
  it('removes all but the newest --keep runs and the values only they used, listing the runs; exit 0', async () => {
    const { store, records } = await storeWithRuns(3);
    const [oldest, middle, newest] = records as [SavedRun, SavedRun, SavedRun];

    const { code, stdout } = await stepwise(['prune', '--keep', '1', '--store', store]);

    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `^Removed 2 runs, 6 values and 0 cache entries from ${store}, freeing [\\d.]+ k?B; kept the newest 1 run\\.\\n`,
      ),
    );
    expect(stdout).toContain(`  ${middle.id}\n  ${oldest.id}\n`);
    expect(readdirSync(join(store, 'runs'))).toEqual([`${newest.id}.json`]);
    const kept = Object.values(newest.outputs).flatMap((ref) => [`${ref}.meta.json`, `${ref}.value`]);
    expect(valueFiles(store)).toEqual(expect.arrayContaining(kept));
    expect(valueFiles(store)).toHaveLength(6);
    const resume = await stepwise(['resume', '--store', store, newest.id]);
    expect(resume.stdout).toContain('already completed');
  });

  it('with --dry-run prints what it would remove and removes nothing', async () => {
    const { store, records } = await storeWithRuns(2);
    const before = valueFiles(store);
    const { code, stdout } = await stepwise(['prune', '--keep', '1', '--dry-run', '--store', store]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Would remove 1 run, 3 values and 0 cache entries from .*; would keep the newest 1 run\./);
    expect(stdout).toContain('Nothing was removed (--dry-run).');
    expect(stdout).toContain(`  ${records[0]?.id}\n`);
    expect(readdirSync(join(store, 'runs'))).toHaveLength(2);
    expect(valueFiles(store)).toEqual(before);
  });

  it('keeps 100 runs by default, saying when there is nothing to remove', async () => {
    const { store } = await storeWithRuns(2);
    const { code, stdout } = await stepwise(['prune', '--store', store]);
    expect(code).toBe(0);
    expect(stdout).toBe(`Nothing to remove from ${store} (2 runs, --keep 100).\n`);
  });

  it('with --json prints the report as one JSON object', async () => {
    const { store, records } = await storeWithRuns(2);
    const { code, stdout } = await stepwise(['prune', '--keep', '0', '--json', '--store', store]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { [key: string]: unknown };
    expect(report).toMatchObject({
      store,
      keepRuns: 0,
      dryRun: false,
      runsDeleted: 2,
      valuesDeleted: 6,
      cacheEntriesDeleted: 0,
      runsKept: 0,
      deletedRuns: records.map((r) => r.id).reverse(),
    });
    expect(report.bytesFreed).toBeGreaterThan(0);
    expect(valueFiles(store)).toEqual([]);
  });

  it('keeps an interrupted run (its process is gone: it can be resumed) with its values, and removes old temporary files', async () => {
    const { store, records } = await storeWithRuns(2);
    const [finished, cut] = records as [SavedRun, SavedRun];
    // as a run killed mid-way leaves it: saved as running, by a process that no longer exists
    const path = join(store, 'runs', `${cut.id}.json`);
    const record = JSON.parse(readFileSync(path, 'utf8')) as { owner?: object };
    writeFileSync(
      path,
      JSON.stringify({ ...record, status: 'running', owner: { pid: 2 ** 22 + 1, host: hostname(), heartbeatAt: 0 } }),
    );
    const stray = join(store, 'values', '.ref_x.value.abc.tmp');
    writeFileSync(stray, 'half a write');
    utimesSync(stray, new Date(0), new Date(0));

    const { code, stdout } = await stepwise(['prune', '--keep', '0', '--store', store]);

    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^Removed 1 run, 3 values, 1 temporary file and 0 cache entries from .*; kept 1 run \(the newest 0 and those running or interrupted\)\.\n/,
    );
    expect(stdout).toContain(`  ${finished.id}\n`);
    expect(readdirSync(join(store, 'runs'))).toEqual([`${cut.id}.json`]);
    const kept = Object.values(cut.outputs).flatMap((ref) => [`${ref}.meta.json`, `${ref}.value`]);
    expect(valueFiles(store)).toEqual(expect.arrayContaining(kept));
    expect(valueFiles(store)).toHaveLength(6);
    expect(existsSync(stray)).toBe(false);
    expect((await stepwise(['runs', '--store', store])).stdout).toMatch(new RegExp(`${cut.id}.*interrupted`));
  });

  it('refuses a --keep that is not a whole number of at least 0; exit 2', async () => {
    for (const keep of ['-1', '1.5', 'all', '']) {
      const { code, stderr } = await stepwise(['prune', '--keep', keep, '--store', tempDir()]);
      expect(code).toBe(2);
      expect(stderr).toContain(`--keep expects a whole number of at least 0, got ${JSON.stringify(keep)}`);
    }
  });

  it('refuses a memory store, and a directory that is not a store without creating one in it; exit 2', async () => {
    const memory = await stepwise(['prune']);
    expect(memory.code).toBe(2);
    expect(memory.stderr).toContain('prune works on a file store; the store is "memory". Pass --store <dir>.');
    const dir = tempDir();
    for (const store of [dir, join(dir, 'typo')]) {
      const { code, stderr } = await stepwise(['prune', '--store', store]);
      expect(code).toBe(2);
      expect(stderr).toContain(`${store} is not a Stepwise file store`);
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });

  it('--help describes the command and its options', async () => {
    const { code, stdout } = await stepwise(['prune', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: stepwise prune [options]');
    expect(stdout).toMatch(
      /--keep <n>\s+how many of the newest runs to keep.*\(default: the config's\s+retention.keepRuns, else 100\)/s,
    );
    expect(stdout).toMatch(/--dry-run\s+print what would be removed/);
    expect(stdout).toContain('--store <dir>');
  });
});
