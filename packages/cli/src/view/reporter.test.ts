import type { RunEvent } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import type { OutputStream } from '../io.js';
import { colors } from './format.js';
import { createReporter } from './reporter.js';
import { createRunView } from './run-view.js';

const c = colors(false);
const base = { runId: 'run_1', seq: 0 };
const started = { ...base, type: 'step.started', stepId: 'load', ts: Date.now(), attempt: 1 } as RunEvent;
const completed = {
  ...base,
  type: 'step.completed',
  stepId: 'load',
  ts: Date.now(),
  durationMs: 5,
  attempts: 1,
  output: 'ref_x',
} as RunEvent;

/** A terminal: stdout and stderr write into one transcript, as they do on screen. */
function terminal() {
  const writes: { stream: 'out' | 'err'; text: string }[] = [];
  const tty = (stream: 'out' | 'err'): OutputStream => ({
    isTTY: true,
    columns: 100,
    rows: 40,
    write: (text: string) => writes.push({ stream, text }),
  });
  return { writes, stdout: tty('out'), stderr: tty('err') };
}

const ERASE_LINE = '\u001b[2K';

describe('log lines and the live view', () => {
  it('erases the frame, prints the log line where it was, then redraws the frame below it', async () => {
    const { writes, stdout, stderr } = terminal();
    const view = createRunView([{ id: 'load', type: 'read_csv' }]);
    const reporter = await createReporter({ mode: 'live', stream: stdout, logStream: stderr, view, c, tickMs: 60_000 });
    reporter.onEvent(started);
    reporter.log('warn  load: the disk is slow');
    // buffered until the next frame: a burst of lines costs one redraw
    expect(writes.some((w) => w.stream === 'err')).toBe(false);
    reporter.onEvent(completed);
    reporter.stop();

    const at = writes.findIndex((w) => w.stream === 'err');
    expect(writes[at]?.text).toBe('warn  load: the disk is slow\n');
    expect(writes[at - 1]).toMatchObject({ stream: 'out', text: expect.stringContaining(ERASE_LINE) });
    expect(writes[at - 1]?.text).not.toContain('load');
    expect(writes[at + 1]).toMatchObject({ stream: 'out', text: expect.stringMatching(/✔ load\s+read_csv/) });
    expect(writes.filter((w) => w.stream === 'err')).toHaveLength(1);
  });

  it('prints a log line at once when the last frame is older than a tick', async () => {
    const { writes, stdout, stderr } = terminal();
    const view = createRunView([{ id: 'load', type: 'read_csv' }]);
    const reporter = await createReporter({ mode: 'live', stream: stdout, logStream: stderr, view, c, tickMs: 0 });
    reporter.log('info  hello');
    const at = writes.findIndex((w) => w.stream === 'err');
    expect(at).toBeGreaterThan(0);
    expect(writes[at + 1]?.text).toMatch(/· load/);
    reporter.stop();
  });

  it('in plain and JSON modes a log line is just a line on the log stream', async () => {
    for (const mode of ['plain', 'json'] as const) {
      const { writes, stdout, stderr } = terminal();
      const view = createRunView([{ id: 'load', type: 'read_csv' }]);
      const reporter = await createReporter({ mode, stream: stdout, logStream: stderr, view, c });
      reporter.onEvent(started);
      reporter.log('info  hello');
      reporter.stop();
      expect(writes.filter((w) => w.stream === 'err')).toEqual([{ stream: 'err', text: 'info  hello\n' }]);
    }
  });
});
