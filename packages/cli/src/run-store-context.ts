import { existsSync } from 'node:fs';
import type { RuntimeContext } from '@stepwise/core';
import { shortPath } from './execute.js';
import type { CommandIO } from './io.js';
import { openContext, type Project, storeLocation } from './project.js';
import { UsageError } from './usage-error.js';

/** The file store that `runs`, `show` and `preview` read, and how messages name it. */
export interface RunStoreAccess {
  /** Undefined when the store's folder does not exist yet (no run was kept): reading never creates it. */
  context: RuntimeContext | undefined;
  where: string;
}

/**
 * The context of the file store from `--store`, else the config's, without creating it.
 * @throws UsageError when the store is `memory` (it keeps nothing between commands)
 */
export function openRunStore(
  io: CommandIO,
  project: Project,
  storeOption: string | undefined,
  command: string,
): RunStoreAccess {
  const dir = storeLocation(io, project, storeOption);
  if (dir === 'memory')
    throw new UsageError(
      `${command} reads the runs kept in a file store; the store is "memory", which keeps nothing between commands. Pass --store <dir>.`,
    );
  const where = shortPath(io, dir) || '.';
  return { context: existsSync(dir) ? openContext(io, project, storeOption) : undefined, where };
}

/**
 * The context of a store that exists.
 * @throws UsageError when no run was kept there yet
 */
export function requireRunStore(access: RunStoreAccess, what: string): RuntimeContext {
  if (access.context !== undefined) return access.context;
  throw new UsageError(`${what} is not in the store ${access.where}: it does not exist yet (the first run makes it).`, [
    'Pass the store the run used: --store <dir>.',
  ]);
}
