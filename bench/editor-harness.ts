/**
 * The editor page of the bench and the browser tests (bench/editor: the real Editor on a document
 * and catalog put in `window.__BENCH__`, no server), built with Vite and served on 127.0.0.1.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Catalog } from '@stepwise/core';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';

const here = resolve(import.meta.dirname, 'editor');

/** Debian's Chromium, driven by playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';
/** The flags the project runs Chromium with. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

function packageOf(id: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id);
  if (match) return match[1] as string;
  return id.includes('/packages/core/') ? '@stepwise/core' : '@stepwise/ui';
}

/** Builds the page into `outDir` (one chunk per package) and returns the gzip size of each. */
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
          // '/' in a chunk name would make a folder: `@xyflow/react` becomes `xyflow_react`
          manualChunks: (id) =>
            id.includes('node_modules') || id.includes('/packages/')
              ? packageOf(id).replace(/^@([^/]+)\//, '$1_')
              : undefined,
        },
      },
    },
  });
  const assets = join(outDir, 'assets');
  const sizes = new Map<string, number>();
  for (const file of readdirSync(assets)) {
    if (!/\.(js|css)$/.test(file)) continue;
    const name = file
      .replace(/-[\w-]{8}\.js$/, '')
      .replace(/-[\w-]{8}\.css$/, ' (css)')
      .replace(/^([^_]+)_/, '@$1/');
    sizes.set(name, gzipSync(readFileSync(join(assets, file))).length);
  }
  const byPackage = [...sizes].sort((a, b) => b[1] - a[1]);
  return { total: byPackage.reduce((sum, [, size]) => sum + size, 0), byPackage };
}

/** Serves `root` on a free loopback port. */
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

/** The page's URL on a server from {@link serve}. */
export function harnessUrl(server: Server): string {
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/index.html`;
}

/**
 * Opens the page on a document, waits until the graph is drawn, and fails on any page error or
 * console error.
 */
export async function openPage(
  browser: Browser,
  url: string,
  input: { catalog: Catalog; documentText: string },
): Promise<{ page: Page; openMs: number; nodes: number; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.addInitScript({ content: `window.__BENCH__ = ${JSON.stringify(input)};` });
  await page.goto(url);
  const opened = await page.waitForFunction(
    () => (globalThis as unknown as { __BENCH_OPENED__?: unknown }).__BENCH_OPENED__,
    undefined,
    { timeout: 60_000 },
  );
  if (errors.length > 0) throw new Error(`The editor page reported errors: ${errors.join('; ')}`);
  return { page, errors, ...((await opened.jsonValue()) as { openMs: number; nodes: number }) };
}
