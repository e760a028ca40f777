/** Options of {@link boxTable}. */
export interface BoxTableOptions {
  head: readonly string[];
  rows: readonly (readonly string[])[];
  /** The columns (by index) whose cells are aligned right; the others are aligned left. */
  right?: ReadonlySet<number>;
  /** Paints a header cell (identity without colour). */
  paintHead?: (text: string) => string;
  /** Paints the borders (identity without colour). */
  paintBorder?: (text: string) => string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: an SGR colour code starts with ESC
const COLOUR = /\u001b\[[0-9;]*m/g;

/** Columns a cell takes on a terminal: one a character, colour codes none (cells here are not CJK). */
function columns(text: string): number {
  return [...text.replace(COLOUR, '')].length;
}

/**
 * A table in box-drawing characters, the header first, no rule between rows: what cli-table3 draws
 * with its middle rules off, without loading it (and string-width) for a run's summary.
 * @example boxTable({ head: ['step', 'rows'], rows: [['load', '3']], right: new Set([1]) })
 */
export function boxTable(options: BoxTableOptions): string {
  const { head, rows, right = new Set<number>() } = options;
  const paintHead = options.paintHead ?? ((text: string) => text);
  const paintBorder = options.paintBorder ?? ((text: string) => text);
  const widths = head.map((title, i) => Math.max(columns(title), ...rows.map((row) => columns(row[i] ?? ''))));
  const cell = (text: string, i: number) => {
    const gap = ' '.repeat((widths[i] ?? 0) - columns(text));
    return right.has(i) ? gap + text : text + gap;
  };
  const bar = paintBorder('│');
  const line = (cells: readonly string[]) => `${bar}${cells.map((text, i) => ` ${cell(text, i)} `).join(bar)}${bar}`;
  const rule = (left: string, middle: string, end: string) =>
    paintBorder(`${left}${widths.map((w) => '─'.repeat(w + 2)).join(middle)}${end}`);
  return [
    rule('┌', '┬', '┐'),
    line(head.map(paintHead)),
    ...rows.map((row) => line(head.map((_, i) => row[i] ?? ''))),
    rule('└', '┴', '┘'),
  ].join('\n');
}
