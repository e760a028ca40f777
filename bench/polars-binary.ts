/**
 * nodejs-polars 0.25.2 loads its native code from nodejs-polars-linux-x64-gnu, an optional
 * dependency whose `engines` field asks for Node >= 22. npm skips an optional dependency whose engines
 * do not match, so on Node 20 `npm ci` leaves it out and every Polars peer would fail to load. Before
 * the benchmarks run, this unpacks the very tarball package-lock.json pins (checked against its
 * integrity) into node_modules, and says so. Elsewhere (another platform, or already installed) it does
 * nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'nodejs-polars-linux-x64-gnu';
const root = fileURLToPath(new URL('..', import.meta.url));

interface LockEntry {
  version: string;
  integrity: string;
}

/** Unpacks the pinned Polars binary when npm skipped it; returns what it did, in a line. */
export function ensurePolarsBinary(): string | undefined {
  const target = join(root, 'node_modules', NAME);
  if (existsSync(target) || process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry | undefined>;
  };
  const pinned = lock.packages[`node_modules/${NAME}`];
  if (!pinned) return `${NAME} is not in package-lock.json: the Polars peers will not load`;
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-polars-'));
  try {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', `${NAME}@${pinned.version}`, '--json', '--pack-destination', dir], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    ) as { filename: string; integrity: string }[];
    const tarball = packed[0];
    if (tarball?.integrity !== pinned.integrity)
      return `${NAME}@${pinned.version}: the registry's tarball does not match package-lock.json's integrity; not installed`;
    execFileSync('tar', ['xzf', join(dir, tarball.filename), '-C', dir]);
    renameSync(join(dir, 'package'), target);
    return `${NAME}@${pinned.version} unpacked into node_modules (npm ci skips it on Node ${process.versions.node}: its engines field asks for Node >= 22)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
