import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { uniqueToken } from '../ref.js';

/** Prefix and suffix of the temporary files {@link writeFileAtomic} makes (and removes). */
export const TEMP_PREFIX = '.';
export const TEMP_SUFFIX = '.tmp';

/**
 * Writes `dir/name` atomically: the data goes to a temporary file in the same directory, then is
 * renamed over the target. A reader sees the old file or the new one, never half of one, and a
 * killed process (SIGKILL) leaves at most a stray temporary file, never a damaged target: what a
 * process wrote is in the operating system's page cache, which outlives the process.
 *
 * With `flush` (the default) the data is flushed to disk before the rename, so the file also
 * survives an OS crash or power loss once the rename is. Without it, an OS crash may lose the file;
 * {@link syncFiles} (then {@link syncDir}) makes a batch of such files durable at once.
 */
export function writeFileAtomic(
  dir: string,
  name: string,
  data: Uint8Array | string,
  { flush = true }: { flush?: boolean } = {},
): void {
  const temp = join(dir, `${TEMP_PREFIX}${name}.${uniqueToken()}${TEMP_SUFFIX}`);
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeFileSync(fd, data);
      if (flush) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, join(dir, name));
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * Flushes the data of the files at `paths` to disk, all at once (each on a thread of Node's pool: the
 * file system commits flushes that wait together in one go, where one after the other each pays a
 * commit). A file that no longer exists is skipped (removed since: nothing to keep). Resolves once
 * every file is on disk; their names are durable once {@link syncDir} of their directory returns.
 */
export async function syncFiles(paths: Iterable<string>): Promise<void> {
  await Promise.all(Array.from(paths, syncFile));
}

async function syncFile(path: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // read-write: Windows flushes only a handle that may write (r+ neither creates nor truncates)
    handle = await open(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    // the data and what reading it needs (the size of a new file): a new file's other metadata may wait
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** {@link syncFiles} on the calling thread, one file after the other (for a process that is exiting). */
export function syncFilesNow(paths: Iterable<string>): void {
  for (const path of paths) {
    let fd: number;
    try {
      fd = openSync(path, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    try {
      fdatasyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Flushes a directory's entries to disk: the files renamed into it (or removed from it) since keep
 * their names through an OS crash. Windows, which cannot open a directory, is skipped (NTFS journals
 * renames itself). {@link syncDirNow} does it on the calling thread.
 */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    if (!cannotFlushDir(error)) throw error;
  } finally {
    await handle.close();
  }
}

/** {@link syncDir} on the calling thread (for a process that is exiting). */
export function syncDirNow(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } catch (error) {
    if (!cannotFlushDir(error)) throw error;
  } finally {
    closeSync(fd);
  }
}

/** EISDIR/EPERM/EINVAL: a file system that does not flush directories on request. */
function cannotFlushDir(error: unknown): boolean {
  return ['EISDIR', 'EPERM', 'EINVAL'].includes((error as NodeJS.ErrnoException).code ?? '');
}

/** The bytes of a file as a plain Uint8Array (not a Node Buffer), or undefined when it does not exist. */
export function readFileIfExists(path: string): Uint8Array | undefined {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const view = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  // a Buffer may share a larger pooled ArrayBuffer: hand out bytes that own their memory
  return buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.byteLength ? view : view.slice();
}

/** Removes a file; true when it existed. */
export function removeFile(path: string): boolean {
  try {
    rmSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** The names of the files in `dir` ending in `suffix`, without it, sorted (temporary files start with a dot). */
export function namesIn(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix) && !name.startsWith(TEMP_PREFIX))
    .map((name) => name.slice(0, -suffix.length))
    .sort();
}

/**
 * Removes the temporary files in `dir` that {@link writeFileAtomic} left behind when its process
 * was killed mid-write, those last modified before `before` (epoch ms); with `dryRun`, only counts
 * them. A write in progress is younger than any sensible `before`.
 */
export function removeStaleTemporaries(dir: string, before: number, dryRun: boolean): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(TEMP_PREFIX) || !name.endsWith(TEMP_SUFFIX)) continue;
    const path = join(dir, name);
    let stat: ReturnType<typeof statSync>;
    try {
      stat = statSync(path);
    } catch {
      continue; // renamed or removed meanwhile
    }
    if (!stat.isFile() || stat.mtimeMs >= before) continue;
    if (!dryRun && !removeFile(path)) continue;
    files += 1;
    bytes += stat.size;
  }
  return { files, bytes };
}
