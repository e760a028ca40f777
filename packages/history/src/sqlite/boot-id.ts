import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';

// The same rule as core's context/file/boot-id.ts (not exported by @stepwise/core).

/** Two boot times (seconds) closer than this are the same boot: `uptime` and the clock drift apart a little. */
const SAME_BOOT_SECONDS = 5;

let current: string | undefined;

/** This machine's boot: the kernel's boot id on Linux, elsewhere `@` and the boot time in seconds. */
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
export function isThisBoot(id: string): boolean {
  const here = bootId();
  if (id === here) return true;
  if (!id.startsWith('@') || !here.startsWith('@')) return false;
  return Math.abs(Number(id.slice(1)) - Number(here.slice(1))) < SAME_BOOT_SECONDS;
}
