import type { RunEvent } from '@stepwise/core';
import { describe, expect, it } from 'vitest';
import { colors, formatBytes, formatDuration, progressBar } from './format.js';
import { renderLiveView, renderPlainLine } from './render.js';
import { applyEvent, createRunView } from './run-view.js';

const c = colors(false);
const base = { runId: 'run_1', seq: 0 };

function viewAfter(events: Partial<RunEvent>[], sizes: Record<string, { rows?: number; bytes?: number }> = {}) {
  const view = createRunView([
    { id: 'load', type: 'read_csv' },
    { id: 'clean', type: 'clean_data' },
    { id: 'summary', type: 'aggregate' },
  ]);
  for (const event of events) applyEvent(view, { ...base, ...event } as RunEvent, (ref) => sizes[ref]);
  return view;
}

describe('the live view', () => {
  it('shows one line per step in workflow order, all pending before the run starts', () => {
    const lines = renderLiveView(viewAfter([]), { now: 0, c });
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual(['load', 'clean', 'summary']);
    expect(lines.every((l) => l.includes('pending'))).toBe(true);
  });

  it('shows a completed step with its duration, rows and size from the context', () => {
    const view = viewAfter(
      [
        { type: 'run.started', ts: 0 },
        { type: 'step.started', stepId: 'load', ts: 0, attempt: 1 },
        { type: 'step.completed', stepId: 'load', ts: 1200, output: 'ref_a', durationMs: 1200, attempts: 1 },
      ],
      { ref_a: { rows: 100_000, bytes: 4_100_000 } },
    );
    const [load] = renderLiveView(view, { now: 1300, c });
    expect(load).toMatch(/^✔ load\s+read_csv\s+1\.2s\s+100,000 rows\s+4\.1 MB$/);
  });

  it('shows the file a step wrote', () => {
    const view = viewAfter(
      [{ type: 'step.completed', stepId: 'summary', ts: 5, output: 'ref_f', durationMs: 5, attempts: 1 }],
      { ref_f: { bytes: 2048, file: 'out/summary.csv' } } as Record<string, { bytes: number }>,
    );
    expect(renderLiveView(view, { now: 5, c })[2]).toMatch(
      /✔ summary\s+aggregate\s+5ms\s+2\.0 kB\s+→ out\/summary\.csv$/,
    );
  });

  it('shows a running step with its elapsed time and a progress bar once it reports progress', () => {
    const started = viewAfter([{ type: 'step.started', stepId: 'clean', ts: 1000, attempt: 1 }]);
    expect(renderLiveView(started, { now: 1500, c })[1]).toMatch(/▶ clean\s+clean_data\s+500ms\s+running/);
    applyEvent(started, { ...base, type: 'step.progress', stepId: 'clean', ts: 1600, done: 25, total: 100 });
    expect(renderLiveView(started, { now: 1700, c })[1]).toContain('[#####---------------]  25%');
  });

  it('shows a failure with the error, and the steps skipped because of it', () => {
    const error = { name: 'TypeError', message: 'x is not a function\nat line 2', code: 'UNKNOWN_ERROR' };
    const view = viewAfter([
      { type: 'step.started', stepId: 'clean', ts: 0, attempt: 1 },
      { type: 'step.failed', stepId: 'clean', ts: 10, error, durationMs: 10, attempts: 1 },
      { type: 'step.skipped', stepId: 'summary', ts: 11, dependency: 'clean', reason: 'failed' },
      { type: 'run.failed', ts: 12, durationMs: 12, failedSteps: ['clean'] },
    ]);
    const lines = renderLiveView(view, { now: 20, c });
    // the error is printed once, in the report after the run
    expect(lines[1]).toMatch(/^✖ clean\s+clean_data\s+10ms\s+failed$/);
    expect(lines[2]).toMatch(/^↷ summary .*skipped \(clean did not complete\)$/);
    expect(view.status).toBe('failed');
  });

  it('says a fused streaming step streamed into its reader and was not stored', () => {
    const view = createRunView([
      { id: 'parse', type: 'parse_lines', readBy: ['keep'] },
      { id: 'keep', type: 'keep_positive', readBy: [] },
    ]);
    applyEvent(view, {
      ...base,
      type: 'step.completed',
      stepId: 'parse',
      ts: 5,
      output: '',
      durationMs: 5,
      attempts: 1,
    });
    expect(renderLiveView(view, { now: 5, c })[0]).toMatch(
      /^✔ parse\s+parse_lines\s+5ms\s+fused: streamed into keep, not stored$/,
    );
  });

  it("a resumed run's duration counts its own time, not the time since the run first started", () => {
    const view = viewAfter([
      { type: 'run.started', ts: 1_000_000 },
      { type: 'run.completed', ts: 1_000_250, durationMs: 3_600_250, outputs: {} },
    ]);
    expect(view.durationMs).toBe(250);
  });

  it('marks cancelled steps', () => {
    const view = viewAfter([
      { type: 'step.started', stepId: 'load', ts: 0, attempt: 1 },
      { type: 'step.cancelled', stepId: 'load', ts: 300 },
      { type: 'run.cancelled', ts: 301, durationMs: 301 },
    ]);
    expect(renderLiveView(view, { now: 400, c })[0]).toMatch(/^⊘ load\s+read_csv\s+300ms\s+cancelled$/);
    expect(view.status).toBe('cancelled');
  });

  it('prints plain lines for starts and ends only, not for progress', () => {
    const view = viewAfter([{ type: 'step.started', stepId: 'load', ts: 0, attempt: 1 }]);
    expect(renderPlainLine(view, 'load', 'step.started', { now: 0, c })).toMatch(/^▶ load {5}read_csv {2}/);
    expect(renderPlainLine(view, 'load', 'step.progress', { now: 0, c })).toBeUndefined();
    expect(renderPlainLine(view, 'clean', 'step.started', { now: 0, c })).toBeUndefined();
  });
});

describe('formatting', () => {
  it('formats durations, sizes and progress', () => {
    expect([formatDuration(850), formatDuration(1250), formatDuration(125_000)]).toEqual(['850ms', '1.3s', '2m 05s']);
    expect(formatDuration(119_600)).toBe('2m 00s');
    expect([formatBytes(512), formatBytes(4100), formatBytes(12_000_000)]).toEqual(['512 B', '4.1 kB', '12.0 MB']);
    expect(progressBar(10, 10, 4)).toBe('[####] 100%');
    expect(progressBar(3, undefined)).toBe('3 done');
  });
});
