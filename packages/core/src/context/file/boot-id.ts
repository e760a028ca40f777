import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';

/** Two boot times (seconds) closer than this are the same boot: `uptime` and the clock drift apart a little. */
const SAME_BOOT_SECONDS = 5;

let current: string | undefined;

/**
 * This machine's boot: what the file store writes next to a journal line that is not on disk yet,
 * so that a reader can tell whether the operating system restarted since (it may then have lost the
 * line's values, or the line, or half of it). On Linux the kernel's boot id; elsewhere the boot time
 * in seconds, `@` and a number. A run store of its own (the SQLite store does) marks its unflushed
 * entries the same way and reads them back with {@link isThisBoot}.
 */
export function bootId(): string {
  if (current !== undefined) return current;
  try {
    current = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // not Linux (or no /proc): the boot time serves, compared with a margin
  }
  if (current === undefined || current === '') current = `@${Math.round(Date.now() / 1000 - uptime())}`;
  return current;
}

/** True when `id` (a {@link bootId}, maybe of another process) names this machine's current boot. */
export function isThisBoot(id: unknown): boolean {
  const here = bootId();
  if (id === here) return true;
  if (typeof id !== 'string' || !id.startsWith('@') || !here.startsWith('@')) return false;
  return Math.abs(Number(id.slice(1)) - Number(here.slice(1))) < SAME_BOOT_SECONDS;
}
