/**
 * What the editor's browser tests share: Debian's Chromium (skipped with a printed reason when it is
 * missing, unless STEPWISE_REQUIRE_ALL=1), the editor's production build, a page that collects
 * console errors, and waits on what the page shows.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { WorkflowDocument } from '@stepwise/core';
import { type Browser, chromium, type Page, type Route } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, expect } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../bench/editor-harness.js';

export { CHROMIUM, CHROMIUM_ARGS } from '../bench/editor-harness.js';

/**
 * False when Chromium is missing and STEPWISE_REQUIRE_ALL is not 1; then it prints why `what` is
 * skipped. With STEPWISE_REQUIRE_ALL=1 the tests run (and fail at launch) instead.
 */
export function chromiumAvailable(what: string): boolean {
  if (existsSync(CHROMIUM) || process.env.STEPWISE_REQUIRE_ALL === '1') return true;
  console.warn(`${what} skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  return false;
}

const uiRoot = resolve(import.meta.dirname, '..', 'packages', 'ui');

/** The editor's production build: the one `npm run build` made, else one made now in a temporary folder. */
export async function editorBuild(): Promise<{ dir: string; made: boolean }> {
  const built = join(uiRoot, 'dist');
  if (existsSync(join(built, 'index.html'))) return { dir: built, made: false };
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-editor-app-'));
  await build({ root: uiRoot, configFile: join(uiRoot, 'vite.config.ts'), logLevel: 'error', build: { outDir: dir } });
  return { dir, made: true };
}

/**
 * One Chromium and the editor's build for a whole test file: call it inside the file's `describe`;
 * the browser is closed, and a build made for the file removed, after its tests.
 */
export function sharedBrowser(): { readonly browser: Browser; readonly ui: { dir: string; made: boolean } } {
  const shared = {} as { browser: Browser; ui: { dir: string; made: boolean } };
  beforeAll(async () => {
    shared.ui = await editorBuild();
    shared.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 240_000);
  afterAll(async () => {
    await shared.browser?.close();
    if (shared.ui?.made) rmSync(shared.ui.dir, { recursive: true, force: true });
  });
  return shared;
}

/** Waits for what the page shows (drawing, the server's answers) up to 15 s; `message` names what failed. */
export const poll = <T>(read: () => T | Promise<T>, message?: string) =>
  expect.poll(read, message === undefined ? { timeout: 15_000 } : { timeout: 15_000, message });

/** A new page of `browser` at `url` + `path`, with the page's errors and console errors collected. */
export async function openApp(
  browser: Browser,
  url: string,
  path = '/',
  viewport = { width: 1400, height: 900 },
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(`${url}${path}`);
  return { page, errors };
}

/** The status badge of step `step` on the canvas. */
export const badgeOf = (page: Page, step: string) =>
  page.locator(`.react-flow__node[data-id="${step}"] .sw-badge`).textContent();

/**
 * The document as the editor holds it now: its Export, the bytes a save would write. A miss fails:
 * Playwright checks that the button is under the pointer on the press only, so a button that moves
 * before the release loses the click, and the editor keeps its toolbar still for that reason.
 */
export async function exported(page: Page): Promise<string> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  return readFileSync((await (await download).path()) as string, 'utf8');
}

/** {@link exported}, parsed. */
export const exportedDocument = async (page: Page): Promise<WorkflowDocument> =>
  JSON.parse(await exported(page)) as WorkflowDocument;

/** Resolves after the page has drawn two more frames (React has committed, React Flow has moved its nodes). */
export const nextFrames = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<void>((done) => {
        const frame = (globalThis as unknown as { requestAnimationFrame(callback: () => void): number })
          .requestAnimationFrame;
        frame(() => frame(() => done()));
      }),
  );

/**
 * The centre of what `locator` finds, in page coordinates, once it stays in place from one frame to
 * the next (a node just added, laid out or zoomed to fit may still move).
 */
export async function centre(locator: ReturnType<Page['locator']>): Promise<{ x: number; y: number }> {
  let last = '';
  await poll(async () => {
    await nextFrames(locator.page());
    const now = JSON.stringify(await locator.boundingBox());
    const still = now === last && now !== 'null';
    last = now;
    return still;
  }, 'the element to stay in place').toBe(true);
  const box = JSON.parse(last) as { x: number; y: number; width: number; height: number };
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags with the mouse from the centre of `from` to the centre of `to` (a connection, a node move). */
export async function dragMouse(
  page: Page,
  from: { x: number; y: number },
  to: { x: number; y: number },
): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 15 });
  await page.mouse.up();
}

/** A step's output handle, or its input handle `input`. */
export const handleOf = (page: Page, step: string, kind: 'source' | 'target', input = 'input') =>
  page.locator(
    `.react-flow__node[data-id="${step}"] .react-flow__handle.${kind}${kind === 'target' ? `[data-handleid="${input}"]` : ''}`,
  );

/**
 * Holds the page's requests to URLs matching `url` (a slow server, on cue): `count()` says how many
 * are held, `release()` lets them through and resolves once the page has their answers and has drawn.
 */
export async function holdRequests(
  page: Page,
  url: string,
): Promise<{ count: () => number; release: () => Promise<void> }> {
  const held: Route[] = [];
  await page.route(url, (route) => void held.push(route));
  return {
    count: () => held.length,
    release: async () => {
      const answered = held.map((route) =>
        page
          .waitForResponse((response) => response.request() === route.request())
          .then((response) => response.finished()),
      );
      for (const route of held.splice(0)) await route.continue();
      await page.unroute(url);
      await Promise.all(answered);
      await nextFrames(page);
    },
  };
}
