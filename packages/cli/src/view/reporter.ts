import type { RunEvent } from '@stepwise/core';
import { createLogUpdate } from 'log-update';
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
  stop(): void;
}

/** Options of {@link createReporter}. */
export interface ReporterOptions {
  mode: ReporterMode;
  stream: OutputStream;
  view: RunView;
  c: Colors;
  sizeOf?: SizeOf;
  /** Redraw interval of the live view (running steps' clocks), default 200 ms. */
  tickMs?: number;
}

/** A reporter that updates `view` from events and writes it to `stream` in the chosen mode. */
export function createReporter(options: ReporterOptions): RunReporter {
  const { view, stream, c, sizeOf } = options;
  if (options.mode === 'json') {
    return {
      view,
      onEvent(event) {
        applyEvent(view, event, sizeOf);
        stream.write(`${JSON.stringify(event)}\n`);
      },
      stop() {},
    };
  }
  if (options.mode === 'plain') {
    return {
      view,
      onEvent(event) {
        applyEvent(view, event, sizeOf);
        const line =
          'stepId' in event ? renderPlainLine(view, event.stepId, event.type, { now: event.ts, c }) : undefined;
        if (line) stream.write(`${line}\n`);
      },
      stop() {},
    };
  }
  return liveReporter(options);
}

function liveReporter({ view, stream, c, sizeOf, tickMs = 200 }: ReporterOptions): RunReporter {
  const update = createLogUpdate(stream as NodeJS.WriteStream);
  const draw = () => update(renderLiveView(view, { now: Date.now(), c }).join('\n'));
  const timer = setInterval(draw, tickMs);
  timer.unref();
  let lastDraw = 0;
  draw();
  return {
    view,
    onEvent(event) {
      applyEvent(view, event, sizeOf);
      // progress can arrive thousands of times a second: the timer redraws those
      if (event.type === 'step.progress' && Date.now() - lastDraw < tickMs) return;
      lastDraw = Date.now();
      draw();
    },
    stop() {
      clearInterval(timer);
      draw();
      update.done();
    },
  };
}
