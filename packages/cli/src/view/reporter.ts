import type { RunEvent } from '@stepwise/core';
import type { OutputStream } from '../io.js';
import type { Colors } from './format.js';
import { renderLiveView, renderPlainLine } from './render.js';
import { applyEvent, type RunView, type SizeOf } from './run-view.js';

/** How run events are shown: redrawn in place, as plain lines, or as NDJSON. */
export type ReporterMode = 'live' | 'plain' | 'json';

/** Receives a run's events and shows them; `stop()` leaves the final frame on screen. */
export interface RunReporter {
  readonly view: RunView;
  onEvent(event: RunEvent): void;
  /** Prints a log line on `logStream` without breaking the view: the live view clears its frame, then redraws it. */
  log(line: string): void;
  stop(): void;
}

/** Options of {@link createReporter}. */
export interface ReporterOptions {
  mode: ReporterMode;
  stream: OutputStream;
  /** Where {@link RunReporter.log} writes (stderr). */
  logStream: OutputStream;
  view: RunView;
  c: Colors;
  sizeOf?: SizeOf;
  /** Redraw interval of the live view (running steps' clocks), default 200 ms. */
  tickMs?: number;
}

/**
 * A reporter that updates `view` from events and writes it to `stream` in the chosen mode. Async
 * because the live view's terminal library loads only when a live view is asked for (it is a tenth
 * of a second of every command's start-up otherwise).
 */
export async function createReporter(options: ReporterOptions): Promise<RunReporter> {
  const { view, stream, c, sizeOf, logStream } = options;
  // with no frame on screen, a log line is just a line
  const log = (line: string) => logStream.write(`${line}\n`);
  if (options.mode === 'json') {
    return {
      view,
      onEvent(event) {
        applyEvent(view, event, sizeOf);
        stream.write(`${JSON.stringify(event)}\n`);
      },
      log,
      stop() {},
    };
  }
  if (options.mode === 'plain') {
    // steps done before this execution starts (kept by a resume, reused by a partial run) get their line first
    for (const step of view.steps) {
      if (step.status !== 'completed') continue;
      const line = renderPlainLine(view, step.id, 'step.completed', { now: Date.now(), c });
      if (line) stream.write(`${line}\n`);
    }
    return {
      view,
      onEvent(event) {
        applyEvent(view, event, sizeOf);
        const line =
          'stepId' in event ? renderPlainLine(view, event.stepId, event.type, { now: event.ts, c }) : undefined;
        if (line) stream.write(`${line}\n`);
      },
      log,
      stop() {},
    };
  }
  const { createLogUpdate } = await import('log-update');
  return liveReporter(options, createLogUpdate);
}

function liveReporter(
  { view, stream, logStream, c, sizeOf, tickMs = 200 }: ReporterOptions,
  createLogUpdate: typeof import('log-update').createLogUpdate,
): RunReporter {
  const update = createLogUpdate(stream as NodeJS.WriteStream);
  // log lines wait for the next frame: stdout and stderr share the terminal, so the frame is erased,
  // the lines are printed where it was, and the frame is drawn again below them
  let pending: string[] = [];
  let lastDraw = 0;
  const draw = () => {
    lastDraw = Date.now();
    if (pending.length > 0) {
      update.clear();
      logStream.write(`${pending.join('\n')}\n`);
      pending = [];
    }
    update(renderLiveView(view, { now: lastDraw, c }).join('\n'));
  };
  const timer = setInterval(draw, tickMs);
  timer.unref();
  draw();
  return {
    view,
    onEvent(event) {
      applyEvent(view, event, sizeOf);
      // progress can arrive thousands of times a second: the timer redraws those
      if (event.type === 'step.progress' && Date.now() - lastDraw < tickMs) return;
      draw();
    },
    log(line) {
      pending.push(line);
      // a burst of debug lines costs one redraw per tick, not one per line
      if (Date.now() - lastDraw >= tickMs) draw();
    },
    stop() {
      clearInterval(timer);
      draw();
      update.done();
    },
  };
}
