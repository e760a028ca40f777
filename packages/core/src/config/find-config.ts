import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** File names a project configuration may have, in the order they are looked for. */
export const CONFIG_FILE_NAMES = [
  'stepwise.config.ts',
  'stepwise.config.mts',
  'stepwise.config.js',
  'stepwise.config.mjs',
] as const;

/**
 * The path of the nearest `stepwise.config.{ts,mts,js,mjs}` in `startDir` or one of its parents,
 * or undefined when there is none up to the file system root.
 */
export function findConfig(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
