/**
 * Editor bench: in Chromium (playwright-core, Debian's /usr/bin/chromium), the time to open a
 * 100-step and a 1,000-step workflow (document text to graph drawn) and frame times while dragging
 * a node and panning, the 100-step figures being the reference; and the production bundle's gzip
 * size by dependency. No server: the editor page gets the document and the table catalog directly.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@stepwise/dataframe';
import { registry, stringifyWorkflow, type WorkflowDocument } from '@stepwise/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildHarness, CHROMIUM, CHROMIUM_ARGS, harnessUrl, openPage, serve } from './editor-harness.js';

const RUNS = 5;

/** A table workflow of `n` steps: a chain of row and column steps, with a join on a second source every 10 steps. */
export function tableWorkflow(n: number): WorkflowDocument {
  const steps: WorkflowDocument['steps'] = [{ id: 'load', type: 'read_csv', config: { path: 'sales.csv' } }];
  const cycle = [
    { type: 'filter_rows', config: { where: 'd.value > 0' } },
    { type: 'derive', config: { columns: { doubled: 'd.value * 2' } } },
    { type: 'clean_nulls', config: { threshold: 0.5 } },
    { type: 'sort', config: { by: ['value'] } },
  ];
  let main = 'load';
  while (steps.length < n) {
    const i = steps.length;
    if (i % 10 === 9 && steps.length + 2 <= n) {
      steps.push({ id: `side_${i}`, type: 'read_csv', config: { path: 'customers.csv' } });
      steps.push({
        id: `join_${i}`,
        type: 'join',
        config: { on: 'customer_id' },
        inputs: { input: { step: main }, right: { step: `side_${i}` } },
      });
      main = `join_${i}`;
      continue;
    }
    const { type, config } = cycle[i % cycle.length] as (typeof cycle)[number];
    const id = `${type}_${i}`;
    const previous = steps.at(-1)?.id;
    steps.push(previous === main ? { id, type, config } : { id, type, config, inputs: { input: { step: main } } });
    main = id;
  }
  return {
    format: 'stepwise.workflow',
    version: 1,
    id: `w${n}`,
    name: `${n} steps`,
    description: '',
    inputs: {},
    steps,
    outputs: {},
  };
}

function stats(values: number[]): { median: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: round(at(0.5)), p95: round(at(0.95)) };
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Frame times while the mouse moves from `from` by `by` in `steps` moves, the button held. */
async function framesWhileDragging(
  page: Page,
  from: { x: number; y: number },
  by: { x: number; y: number },
  steps: number,
) {
  await page.mouse.move(from.x, from.y);
  await page.evaluate(() =>
    (globalThis as unknown as { __BENCH_FRAMES__: { start(): void } }).__BENCH_FRAMES__.start(),
  );
  await page.mouse.down();
  await page.mouse.move(from.x + by.x, from.y + by.y, { steps });
  await page.mouse.up();
  return page.evaluate(() =>
    (globalThis as unknown as { __BENCH_FRAMES__: { stop(): number[] } }).__BENCH_FRAMES__.stop(),
  );
}

async function measure(browser: Browser, url: string, n: number) {
  const documentText = stringifyWorkflow(tableWorkflow(n));
  const catalog = registry.toJSON();
  const opens: number[] = [];
  let drawnNodes = 0;
  for (let run = 0; run < RUNS; run++) {
    const { page, openMs, nodes } = await openPage(browser, url, { catalog, documentText });
    opens.push(openMs);
    drawnNodes = nodes;
    await page.close();
  }
  const { page } = await openPage(browser, url, { catalog, documentText });
  const box = await page.locator('.react-flow__node').nth(1).boundingBox();
  if (box === null) throw new Error('No node to drag.');
  const drag = await framesWhileDragging(page, { x: box.x + 40, y: box.y + 10 }, { x: 150, y: 80 }, 120);
  const pane = await page.locator('.react-flow__pane').boundingBox();
  if (pane === null) throw new Error('No pane to pan.');
  // an empty spot of the pane: above the laid-out rows, left of the minimap
  const pan = await framesWhileDragging(page, { x: pane.x + pane.width / 2, y: pane.y + 8 }, { x: -300, y: 120 }, 120);
  await page.close();
  return {
    steps: n,
    nodesDrawn: drawnNodes,
    openMs: stats(opens),
    dragFrameMs: { ...stats(drag), frames: drag.length },
    panFrameMs: { ...stats(pan), frames: pan.length },
  };
}

/** The editor bench (`npm run bench -- editor`). */
export async function runEditor(): Promise<unknown> {
  if (!existsSync(CHROMIUM)) return { skipped: `${CHROMIUM} is missing (apt-get install -y chromium)` };
  const outDir = mkdtempSync(join(tmpdir(), 'stepwise-editor-bench-'));
  const server = await serve(outDir);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  try {
    const bundle = await buildHarness(outDir);
    const url = harnessUrl(server);
    const small = await measure(browser, url, 100);
    const large = await measure(browser, url, 1000);
    return {
      chromium: browser.version(),
      reference: small,
      large,
      ratios: {
        open: round(large.openMs.median / small.openMs.median),
        dragMedianFrame: round(large.dragFrameMs.median / small.dragFrameMs.median),
        panMedianFrame: round(large.panFrameMs.median / small.panFrameMs.median),
      },
      bundleGzipKB: {
        total: round(bundle.total / 1024),
        largest: bundle.byPackage.slice(0, 10).map(([name, size]) => `${name} ${round(size / 1024)}`),
      },
    };
  } finally {
    await browser.close();
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
