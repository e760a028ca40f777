import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { colors } from '../view/format.js';
import { boxTable } from './box-table.js';

const c = colors(true);

/** What cli-table3 draws for the same cells (middle rules off), as the summary did before boxTable. */
function cliTable3(head: string[], rows: string[][], right: Set<number>): string {
  const table = new Table({
    head,
    style: { head: [], border: [] },
    colAligns: head.map((_, i) => (right.has(i) ? 'right' : 'left')),
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) table.push(row);
  return table.toString();
}

describe('boxTable', () => {
  it("draws what cli-table3 drew for a run's summary, coloured cells measured without their colour", () => {
    const head = ['', 'step', 'type', 'status', 'duration', 'rows', 'size', 'attempts'];
    const rows = [
      [c.green('✔'), 'load', 'read_csv', 'completed', '1.0s', '100,000', '4.1 MB', '1'],
      [c.red('✖'), 'a_much_longer_step_id', 'filter_rows', 'failed', '17ms', '', '', '3'],
      [c.yellow('↷'), 'save', 'write_parquet', 'skipped', '', '', 'fused → keep', ''],
    ];
    const right = new Set([4, 5, 6, 7]);
    expect(boxTable({ head, rows, right })).toBe(cliTable3(head, rows, right));
  });

  it('paints the header and the borders when asked, and pads a short row', () => {
    const drawn = boxTable({ head: ['a', 'b'], rows: [['x']], paintHead: c.cyan, paintBorder: c.gray });
    expect(drawn).toContain(c.cyan('a'));
    expect(drawn.split('\n')[0]).toBe(c.gray('┌───┬───┐'));
    expect(drawn.split('\n')[2]).toBe(`${c.gray('│')} x ${c.gray('│')}   ${c.gray('│')}`);
  });
});
