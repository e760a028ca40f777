import { existsSync } from 'node:fs';
import { shortPath } from './execute.js';
import type { CommandIO } from './io.js';
import { type CommandContext, historyName, openContext, type Project, storeLocation } from './project.js';
import { UsageError } from './usage-error.js';

/** The store that `runs`, `show` and `preview` read (its runs in the config's history, if it names one), and how messages name it. */
export interface RunStoreAccess {
  /** Undefined when the store's folder does not exist yet (no run was kept): reading never creates it. */
  context: CommandContext | undefined;
  where: string;
}

/**
 * The context of the file store from `--store`, else the config's, without creating it (a
 * history the config names is opened: its runs are there whether or not the folder exists).
 * @throws UsageError when the store is `memory` (it keeps nothing between commands)
 */
export async function openRunStore(
  io: CommandIO,
  project: Project,
  storeOption: string | undefined,
  command: string,
): Promise<RunStoreAccess> {
  const dir = storeLocation(io, project, storeOption);
  if (dir === 'memory')
    throw new UsageError(
      `${command} reads the runs kept in a file store; the store is "memory", which keeps nothing between commands. Pass --store <dir>.`,
    );
  const history = project.config.history;
  if (history !== undefined)
    return { context: await openContext(io, project, storeOption), where: historyName(history) };
  const where = shortPath(io, dir) || '.';
  return { context: existsSync(dir) ? await openContext(io, project, storeOption) : undefined, where };
}

/**
 * The context of a store that exists.
 * @throws UsageError when no run was kept there yet
 */
export function requireRunStore(access: RunStoreAccess, what: string): CommandContext {
  if (access.context !== undefined) return access.context;
  throw new UsageError(`${what} is not in the store ${access.where}: it does not exist yet (the first run makes it).`, [
    'Pass the store the run used: --store <dir>.',
  ]);
}
