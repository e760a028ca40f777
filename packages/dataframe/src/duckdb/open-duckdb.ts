// DuckDB instances as Stepwise opens them: confined to the data root, opened ahead of a query that is
// coming (warmDuckDB), closed off the caller's path.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { filesConfig, realDataRoot } from '../files/data-root.js';
import { duckdb, quoteLiteral } from './duckdb-module.js';

/**
 * Where an instance spills what does not fit its memory: a directory of its own in the OS's
 * temporary folder, which DuckDB makes when it first spills and removes when the instance closes.
 * DuckDB's default, `.tmp` in the working directory, is shared: two instances spilling at once
 * there (two steps of a run, two runs in a project) read each other's blocks ("Corrupt temporary
 * file") or crash the process, and a killed process left its files in the user's project.
 */
function spillDirectory(): string {
  return join(tmpdir(), `stepwise-duckdb-${process.pid}-${randomBytes(6).toString('hex')}`);
}

/** An open instance and its connection, confined, with no signal attached yet. */
interface Confined {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
}

/** The data root an instance is confined to, as a key: an instance opened ahead serves only the same one. */
function confinement(): { root: string; allowOutside: boolean; key: string } {
  const { allowOutside } = filesConfig();
  const root = realDataRoot();
  return { root, allowOutside, key: `${allowOutside ? 'outside' : 'inside'}:${root}` };
}

/** Opens and confines an instance (see {@link openDuckDB}); closes it when confining fails. */
async function openConfined(
  { root, allowOutside }: { root: string; allowOutside: boolean },
  alsoAllow?: string,
  settings?: Readonly<Record<string, string>>,
): Promise<Confined> {
  const { DuckDBInstance } = await duckdb();
  const instance = await DuckDBInstance.create(':memory:', {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    temp_directory: spillDirectory(),
    ...settings,
  });
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    // DuckDB checks allowed_directories against the path as written, so relative paths cannot be
    // allowed; data_file('x.csv') makes the absolute path under the root instead.
    await connection.run(`CREATE MACRO data_file(p) AS ${quoteLiteral(`${root}/`)} || p`);
    if (!allowOutside) {
      // DuckDB resolves symlinks before this check: a link in the root to a file elsewhere is refused
      const allowed = [root, ...(alsoAllow === undefined ? [] : [alsoAllow])].map(quoteLiteral).join(', ');
      await connection.run(`SET allowed_directories = [${allowed}]`);
      await connection.run('SET enable_external_access = false');
    }
    await connection.run('SET lock_configuration = true');
    return { instance, connection };
  } catch (error) {
    connection?.closeSync();
    instance.closeSync();
    throw error;
  }
}

/**
 * Closes the connection now and the instance just after, off the caller's path: closing an instance
 * that ran a large query takes tens of milliseconds (DuckDB frees its memory and joins its threads),
 * which then overlaps what the caller does next (a run's record written, its files flushed). The
 * instance's spill directory goes when it closes; one still open when the process exits is closed then.
 */
function closeConfined({ instance, connection }: Confined): void {
  connection.closeSync();
  closing.add(instance);
  hookExit();
  setImmediate(() => {
    if (closing.delete(instance)) instance.closeSync();
  }).unref();
}

/** Instances {@link closeConfined} is about to close. */
const closing = new Set<DuckDBInstance>();
let exitHooked = false;

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const instance of closing) instance.closeSync();
    closing.clear();
  });
}

/** How long an instance opened ahead ({@link warmDuckDB}) waits to be taken before it is closed. */
const SPARE_MS = 10_000;

/** The instance opened ahead for the next {@link openDuckDB} on the same data root, if any. */
let spare: { key: string; opening: Promise<Confined>; timer: ReturnType<typeof setTimeout> } | undefined;

/**
 * Starts opening the instance the next {@link openDuckDB} (with no `alsoAllow` and no `settings`)
 * takes, unless one is opening already: DuckDB creates an instance on threads of its own (about
 * 50 ms of CPU), so a step that makes a lazy table, whose query a later step runs, calls this and
 * the run goes on meanwhile. Taken by no one within 10 s, it is closed. Loads DuckDB's module.
 */
export function warmDuckDB(): void {
  const confined = confinement();
  if (spare?.key === confined.key) return;
  dropSpare();
  const opening = openConfined(confined);
  // a failure is the next openDuckDB's to report: it opens again
  opening.catch(() => {});
  const timer = setTimeout(dropSpare, SPARE_MS);
  timer.unref();
  spare = { key: confined.key, opening, timer };
}

/** Closes the instance opened ahead, if any. */
function dropSpare(): void {
  const dropped = spare;
  if (dropped === undefined) return;
  spare = undefined;
  clearTimeout(dropped.timer);
  dropped.opening.then(closeConfined, () => {});
}

/** The instance opened ahead, when it is confined to `key` (one for another root stays for its own). */
async function takeSpare(key: string): Promise<Confined | undefined> {
  const taken = spare;
  if (taken === undefined || taken.key !== key) return undefined;
  spare = undefined;
  clearTimeout(taken.timer);
  return taken.opening.catch(() => undefined);
}

/**
 * Opens an in-memory DuckDB whose file access is confined to the data root (unless paths may
 * leave it), with `data_file('relative/path')` giving a path under the root. Extensions are never
 * installed or loaded on demand, and the configuration is locked (no `SET` undoes any of this).
 * The caller closes it. An instance {@link warmDuckDB} opened ahead for the same root is taken.
 * When `signal` aborts (the run is cancelled, the step timed out), the running query is interrupted.
 * `alsoAllow` is one more absolute directory it may use (a private temporary folder).
 * `settings` are more DuckDB settings for the instance (tests bound `memory_limit` to make a query spill).
 */
export async function openDuckDB(
  signal?: AbortSignal,
  alsoAllow?: string,
  settings?: Readonly<Record<string, string>>,
): Promise<{ connection: DuckDBConnection; close: () => void }> {
  const { connection, close } = await openWatched(signal, alsoAllow, settings);
  return { connection, close };
}

/**
 * A connection opened (as {@link openDuckDB} opens it) when first asked for, for work that only
 * reads (SELECTs, creating nothing in the instance): `release(true)` then keeps the instance open
 * for the next `openDuckDB`, as if {@link warmDuckDB} had opened it, unless one is kept already;
 * `release(false)` (the work failed) closes it. A later step's query then waits for no new instance.
 */
export function keptDuckDB(signal: AbortSignal | undefined): {
  connect: () => Promise<DuckDBConnection>;
  release: (keep: boolean) => void;
} {
  let opening: ReturnType<typeof openWatched> | undefined;
  return {
    connect: async () => {
      opening ??= openWatched(signal);
      return (await opening).connection;
    },
    release: (keep) => {
      opening?.then(
        (db) => (keep ? db.keep() : db.close()),
        () => {},
      );
    },
  };
}

/** {@link openDuckDB}, and `keep`: see {@link keptDuckDB}. */
async function openWatched(
  signal?: AbortSignal,
  alsoAllow?: string,
  settings?: Readonly<Record<string, string>>,
): Promise<{ connection: DuckDBConnection; close: () => void; keep: () => void }> {
  signal?.throwIfAborted();
  const confined = confinement();
  const plain = alsoAllow === undefined && settings === undefined;
  const db = (plain ? await takeSpare(confined.key) : undefined) ?? (await openConfined(confined, alsoAllow, settings));
  const { connection } = db;
  // the runner stops waiting for a cancelled step at once, but DuckDB would go on with the query
  const interrupt = () => connection.interrupt();
  signal?.addEventListener('abort', interrupt, { once: true });
  const close = () => {
    signal?.removeEventListener('abort', interrupt);
    closeConfined(db);
  };
  const keep = () => {
    signal?.removeEventListener('abort', interrupt);
    if (!plain || spare !== undefined || signal?.aborted) {
      closeConfined(db);
      return;
    }
    const timer = setTimeout(dropSpare, SPARE_MS);
    timer.unref();
    spare = { key: confined.key, opening: Promise.resolve(db), timer };
  };
  // an abort while DuckDB opened found no query to interrupt: none may start now
  if (signal?.aborted) {
    close();
    signal.throwIfAborted();
  }
  return { connection, close, keep };
}
