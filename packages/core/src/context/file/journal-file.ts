import {
  type BigIntStats,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  statSync,
  writeFileSync,
} from 'node:fs';

/** At most this many journals stay open: a process that left runs unended does not run out of descriptors. */
const MAX_OPEN = 256;

/**
 * The journal files this process appends to, open (by path): a step's transition costs one write,
 * not an open and a close. {@link closeJournal} closes one before its file is replaced or removed.
 */
const openJournals = new Map<string, number>();

/** Where a journal ended when looked at: its file (inode and birth time: an inode number is reused) and size in bytes. */
export interface JournalEnd {
  file: string;
  size: number;
}

/**
 * Appends `line` to the journal at `path` (created when missing) in one write: concurrent appenders
 * never interleave a line, and a process killed after it returns loses nothing (the operating
 * system holds the write). With `flush`, it is also on disk when this returns.
 */
export function appendToJournal(path: string, line: string, { flush }: { flush: boolean }): void {
  const fd = journalFd(path);
  writeFileSync(fd, line);
  if (flush) fsyncSync(fd);
}

/**
 * Appends `line` and flushes the journal to disk, unless the file at `path` is no longer the one
 * `end` was taken from (it was replaced or removed since: a save holds what it held). True when written.
 */
export function appendToSameJournal(path: string, end: JournalEnd, line: string): boolean {
  let fd = openJournals.get(path);
  if (fd === undefined) {
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_APPEND);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    remember(path, fd);
  }
  const now = fstatSync(fd, { bigint: true });
  if (fileOf(now) !== end.file || Number(now.size) < end.size || journalEnd(path)?.file !== end.file) {
    closeJournal(path);
    return false;
  }
  writeFileSync(fd, line);
  fsyncSync(fd);
  return true;
}

/** True when this process holds the journal at `path` open: it appended to it since its record was saved. */
export function isJournalOpen(path: string): boolean {
  return openJournals.has(path);
}

/** Where the journal at `path` ends now, or undefined when there is none. */
export function journalEnd(path: string): JournalEnd | undefined {
  const stat = statSync(path, { bigint: true, throwIfNoEntry: false });
  return stat === undefined ? undefined : { file: fileOf(stat), size: Number(stat.size) };
}

function fileOf(stat: BigIntStats): string {
  return `${stat.dev}:${stat.ino}:${stat.birthtimeNs}`;
}

/** Closes the journal at `path` if this process holds it open (before the file is replaced or removed). */
export function closeJournal(path: string): void {
  const fd = openJournals.get(path);
  if (fd === undefined) return;
  openJournals.delete(path);
  closeSync(fd);
}

function journalFd(path: string): number {
  const fd = openJournals.get(path) ?? openSync(path, 'a');
  remember(path, fd);
  return fd;
}

function remember(path: string, fd: number): void {
  if (openJournals.has(path)) return;
  if (openJournals.size >= MAX_OPEN) {
    const [oldest] = openJournals.keys();
    if (oldest !== undefined) closeJournal(oldest);
  }
  openJournals.set(path, fd);
}
