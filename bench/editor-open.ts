/**
 * Editor bench: in Chromium (playwright-core, Debian's /usr/bin/chromium), the time to open a
 * 100-step and a 1,000-step workflow (document text to graph drawn) and frame times while dragging
 * a node and panning, the 100-step figures being the reference; and the production bundle's gzip
 * size by dependency. No server: the editor page gets the document and the table catalog directly.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import '@stepwise/dataframe';
import { registry, stringifyWorkflow, type WorkflowDocument } from '@stepwise/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';

const here = resolve(import.meta.dirname, 'editor');
const CHROMIUM = '/usr/bin/chromium';
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

function packageOf(id: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id);
  if (match) return match[1] as string;
  return id.includes('/packages/core/') ? '@stepwise/core' : '@stepwise/ui';
}

export async function buildHarness(outDir: string): Promise<{ total: number; byPackage: [string, number][] }> {
  await build({
    root: here,
    base: './',
    logLevel: 'error',
    esbuild: { jsx: 'automatic' },
    build: {
      outDir,
      emptyOutDir: true,
      chunkSizeWarningLimit: 5000,
      // one chunk per package, for the size of each (the editor's own build need not split so)
      rollupOptions: {
        output: {
          manualChunks: (id) => (id.includes('node_modules') || id.includes('/packages/') ? packageOf(id) : undefined),
        },
      },
    },
  });
  const assets = join(outDir, 'assets');
  const sizes = new Map<string, number>();
  for (const file of readdirSync(assets)) {
    if (!/\.(js|css)$/.test(file)) continue;
    const name = file.replace(/-[\w-]{8}\.(js|css)$/, '.$1');
    sizes.set(name, gzipSync(readFileSync(join(assets, file))).length);
  }
  const byPackage = [...sizes].sort((a, b) => b[1] - a[1]);
  return { total: byPackage.reduce((sum, [, size]) => sum + size, 0), byPackage };
}

export function serve(root: string): Promise<Server> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    if (pathname === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const path = join(root, pathname);
    if (!path.startsWith(root) || !existsSync(path)) {
      response.writeHead(404).end();
      return;
    }
    const file = path.endsWith('/') ? join(path, 'index.html') : path;
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((ready) => server.listen(0, '127.0.0.1', () => ready(server)));
}

function stats(values: number[]): { median: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: round(at(0.5)), p95: round(at(0.95)) };
}

const round = (value: number) => Math.round(value * 10) / 10;

export async function openPage(
  browser: Browser,
  url: string,
  documentText: string,
): Promise<{ page: Page; openMs: number; nodes: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  const input = JSON.stringify({ catalog: registry.toJSON(), documentText });
  await page.addInitScript({ content: `window.__BENCH__ = ${input};` });
  await page.goto(url);
  const opened = await page.waitForFunction(
    () => (globalThis as unknown as { __BENCH_OPENED__?: unknown }).__BENCH_OPENED__,
    undefined,
    { timeout: 60_000 },
  );
  if (errors.length > 0) throw new Error(`The editor page reported errors: ${errors.join('; ')}`);
  return { page, ...((await opened.jsonValue()) as { openMs: number; nodes: number }) };
}

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
  const opens: number[] = [];
  let drawnNodes = 0;
  for (let run = 0; run < RUNS; run++) {
    const { page, openMs, nodes } = await openPage(browser, url, documentText);
    opens.push(openMs);
    drawnNodes = nodes;
    await page.close();
  }
  const { page } = await openPage(browser, url, documentText);
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
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const bundle = await buildHarness(outDir);
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/index.html`;
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
        largest: bundle.byPackage.slice(0, 8).map(([name, size]) => `${name} ${round(size / 1024)}`),
      },
    };
  } finally {
    await browser.close();
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
