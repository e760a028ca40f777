import type { Catalog, WorkflowDocument } from '@stepwise/core/model';
import { createRoot } from 'react-dom/client';
import { Editor, graph } from '../../packages/ui/src/index.js';

/**
 * The editor bench's page: opens the document the bench put in `window.__BENCH__` in the real
 * Editor (no server: the bench measures drawing, not the network) and reports when it is drawn.
 */
interface BenchInput {
  catalog: Catalog;
  documentText: string;
}

interface BenchWindow {
  __BENCH__?: BenchInput;
  /** The document after every edit, for the browser tests to read. */
  __BENCH_DOCUMENT__?: WorkflowDocument;
  __BENCH_OPENED__?: { openMs: number; nodes: number };
  __BENCH_FRAMES__?: { start(): void; stop(): number[] };
}

const bench = window as unknown as BenchWindow;
const input = bench.__BENCH__;
if (input === undefined) throw new Error('The bench puts the document in window.__BENCH__ before the page loads.');

// "document loaded to graph drawn": from the document's text to the first frame where every node
// React Flow renders has been measured and shown
const start = performance.now();
const document = JSON.parse(input.documentText) as WorkflowDocument;
const catalog = graph.indexCatalog(input.catalog);
const keep = (edited: WorkflowDocument) => {
  bench.__BENCH_DOCUMENT__ = edited;
};
createRoot(globalThis.document.getElementById('root') as HTMLElement).render(
  <Editor catalog={catalog} document={document} onChange={keep} />,
);

function drawn(): boolean {
  const nodes = globalThis.document.querySelectorAll<HTMLElement>('.react-flow__node');
  return nodes.length > 0 && [...nodes].every((node) => node.style.visibility !== 'hidden');
}

function waitDrawn(): void {
  requestAnimationFrame(() => {
    if (!drawn()) return waitDrawn();
    const nodes = globalThis.document.querySelectorAll('.react-flow__node').length;
    requestAnimationFrame(() => {
      bench.__BENCH_OPENED__ = { openMs: performance.now() - start, nodes };
    });
  });
}
waitDrawn();

// frame times as the browser paints them (requestAnimationFrame timestamps)
let frames: number[] = [];
let recording = false;
function tick(time: number): void {
  if (!recording) return;
  frames.push(time);
  requestAnimationFrame(tick);
}
bench.__BENCH_FRAMES__ = {
  start() {
    frames = [];
    recording = true;
    requestAnimationFrame(tick);
  },
  stop() {
    recording = false;
    return frames.slice(1).map((time, index) => time - (frames[index] as number));
  },
};
