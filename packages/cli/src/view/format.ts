import pc from 'picocolors';

/** The colour functions of picocolors (all identity functions when colour is off). */
export type Colors = ReturnType<typeof pc.createColors>;

/** Colour functions, on or off. */
export function colors(enabled: boolean): Colors {
  return pc.createColors(enabled);
}

/** `850ms`, `1.2s`, `2m 05s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

/** `2025-11-29 17:35:02`: an epoch-milliseconds time in the local time zone. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** `512 B`, `4.1 kB`, `12.0 MB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `1 step`, `3 steps`, `2 entries` (give `many` when adding an s is wrong). */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** `1 row`, `100,000 rows`. */
export function formatRows(rows: number | undefined): string {
  if (rows === undefined) return '';
  return count(rows, 'row');
}

/** `[########------------]  40%` (or `[####…] 1,200` when the total is unknown). */
export function progressBar(done: number, total: number | undefined, width = 20): string {
  if (total === undefined || total <= 0) return `${done.toLocaleString('en-US')} done`;
  const ratio = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

/** Pads `text` to `width` characters (no colour codes inside `text`). */
export function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** A run's status in its colour: completed green, failed red, anything else yellow. */
export function paintStatus(status: string, c: Colors): string {
  if (status === 'completed') return c.green(status);
  return status === 'failed' ? c.red(status) : c.yellow(status);
}

/** The status symbols, coloured. */
export function statusSymbol(status: string, c: Colors): string {
  switch (status) {
    case 'completed':
      return c.green('✔');
    case 'failed':
      return c.red('✖');
    case 'running':
      return c.cyan('▶');
    case 'skipped':
      return c.yellow('↷');
    case 'cancelled':
      return c.yellow('⊘');
    default:
      return c.dim('·');
  }
}
