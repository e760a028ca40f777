import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RETENTION, type PruneReport, pruneStore, retentionLimits } from '@stepwise/core';
import { shortPath } from '../execute.js';
import { type CommandIO, ExitCode, println } from '../io.js';
import type { GlobalOptions } from '../options.js';
import { openContext, openProject, storeLocation } from '../project.js';
import { UsageError } from '../usage-error.js';
import { count, formatBytes } from '../view/format.js';

/** Options of `stepwise prune`. */
export interface PruneCommandOptions extends GlobalOptions {
  keep?: number;
  dryRun?: boolean;
  store?: string;
  json?: boolean;
}

/** Runs kept when neither `--keep` nor the config's `retention.keepRuns` says. */
export const DEFAULT_KEEP = DEFAULT_RETENTION.keepRuns;

/**
 * `stepwise prune`: applies the config's retention (the one a server applies; `--keep` overrides its
 * `keepRuns`): removes the runs past it (never one running or interrupted), with the values and
 * cache entries only they used, and the temporary files killed writes left; prints what it removed
 * (or, with --dry-run, would remove).
 */
export async function pruneCommand(io: CommandIO, options: PruneCommandOptions): Promise<number> {
  const project = await openProject(io, options);
  const dir = storeLocation(io, project, options.store);
  if (dir === 'memory') throw new UsageError('prune works on a file store; the store is "memory". Pass --store <dir>.');
  // a typo must not turn some other directory into a store (opening one creates its folders)
  if (!existsSync(join(dir, 'values')))
    throw new UsageError(`${dir} is not a Stepwise file store (it has no values/ folder); nothing was removed.`, [
      'Pass the store the runs used: --store <dir>.',
    ]);
  const limits = retentionLimits(project.config.retention);
  const keepRuns = options.keep ?? limits.keepRuns;
  const dryRun = options.dryRun === true;
  const context = await openContext(io, project, options.store);
  const report = await pruneStore(context.store, { ...limits, keepRuns, dryRun });
  if (options.json) println(io.stdout, JSON.stringify({ store: dir, keepRuns, dryRun, ...report }));
  else
    for (const line of reportLines(report, { where: shortPath(io, dir) || '.', keepRuns, dryRun }))
      println(io.stdout, line);
  return ExitCode.OK;
}

function reportLines(report: PruneReport, how: { where: string; keepRuns: number; dryRun: boolean }): string[] {
  const { runsDeleted, valuesDeleted, cacheEntriesDeleted, tempFilesDeleted, bytesFreed, runsKept } = report;
  if (runsDeleted + valuesDeleted + cacheEntriesDeleted + tempFilesDeleted === 0)
    return [`Nothing to remove from ${how.where} (${count(runsKept, 'run')}, --keep ${how.keepRuns}).`];
  const temporaries = tempFilesDeleted === 0 ? '' : `, ${count(tempFilesDeleted, 'temporary file')}`;
  const what = `${count(runsDeleted, 'run')}, ${count(valuesDeleted, 'value')}${temporaries} and ${count(cacheEntriesDeleted, 'cache entry', 'cache entries')}`;
  // runs still running or interrupted (resumable) are kept besides the newest
  const kept =
    runsKept > how.keepRuns
      ? `${count(runsKept, 'run')} (the newest ${how.keepRuns} and those running or interrupted)`
      : `the newest ${count(runsKept, 'run')}`;
  const head = how.dryRun
    ? `Would remove ${what} from ${how.where}, freeing ${formatBytes(bytesFreed)}; would keep ${kept}. Nothing was removed (--dry-run).`
    : `Removed ${what} from ${how.where}, freeing ${formatBytes(bytesFreed)}; kept ${kept}.`;
  return [head, ...report.deletedRuns.map((id) => `  ${id}`)];
}
