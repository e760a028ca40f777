/**
 * The editor app end to end: Debian's Chromium (playwright-core) on the editor's production build
 * served by a real `createServer` on a free loopback port, driven as a person would: open a saved
 * workflow, edit a parameter, see the server's validation issue and click it to its field, fix it,
 * save, run and watch the statuses turn completed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../bench/editor-harness.js';
import { startServer, workflow } from '../packages/server/src/test-kit.js';

const required = process.env.STEPWISE_REQUIRE_ALL === '1';
const available = existsSync(CHROMIUM);
if (!available && !required)
  console.warn(`editor app tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

const uiRoot = resolve(import.meta.dirname, '..', 'packages', 'ui');

/** The editor's production build: the one `npm run build` made, else one made now in a temporary folder. */
async function editorBuild(): Promise<{ dir: string; made: boolean }> {
  const built = join(uiRoot, 'dist');
  if (existsSync(join(built, 'index.html'))) return { dir: built, made: false };
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-editor-app-'));
  await build({ root: uiRoot, configFile: join(uiRoot, 'vite.config.ts'), logLevel: 'error', build: { outDir: dir } });
  return { dir, made: true };
}

/** Waits for what the page shows (drawing, the server's answers) up to 15 s. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const three = () =>
  workflow('three', [
    ['numbers', 'srv_numbers', { count: 4 }],
    ['double', 'srv_double'],
    ['sum', 'srv_sum'],
  ]);

describe.skipIf(!available && !required)('the editor app in Chromium against a real server', () => {
  let ui: { dir: string; made: boolean };
  let browser: Browser;

  beforeAll(async () => {
    ui = await editorBuild();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    if (ui?.made) rmSync(ui.dir, { recursive: true, force: true });
  });

  async function openApp(url: string, path = '/'): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await page.goto(`${url}${path}`);
    return { page, errors };
  }

  it('opens a saved workflow, edits a parameter, shows the issue at its field, saves, runs and follows the statuses', async () => {
    const { url, dir } = await startServer({ uiDir: ui.dir });
    writeFileSync(join(dir, 'workflows', 'three.json'), `${JSON.stringify(three(), null, 2)}\n`);
    const { page, errors } = await openApp(url);

    await page.getByRole('button', { name: /Workflow three/ }).click();
    await poll(() => page.locator('.react-flow__node').count()).toBe(3);
    expect(page.url()).toMatch(/#\/workflows\/three$/);

    // a bad count: the server's issue shows in the panel and at the field
    await page.locator('.react-flow__node[data-id="numbers"]').click();
    const count = page.locator('#config-numbers_count');
    await count.fill('-1');
    await poll(() => page.locator('.sw-dirty').count()).toBe(1);
    await page.getByRole('tab', { name: /issues/ }).click();
    const issue = page.locator('.sw-issues li button').first();
    await poll(() => issue.textContent()).toMatch(/numbers › config › count/);
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await issue.click();
    await poll(() =>
      page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id,
      ),
    ).toBe('config-numbers_count');

    // fixed and saved: the file on disk has it, the unsaved mark is gone
    await count.fill('5');
    await poll(() => page.getByRole('tab', { name: /issues/ }).textContent()).toBe('issues (0)');
    await page.getByRole('button', { name: 'Save' }).click();
    await poll(() => page.locator('.sw-dirty').count()).toBe(0);
    const file = JSON.parse(readFileSync(join(dir, 'workflows', 'three.json'), 'utf8'));
    expect(file.steps[0].config).toEqual({ count: 5 });

    // run: the plan first, then the statuses from the events
    await page.getByRole('button', { name: 'Run…' }).click();
    const plan = page.getByRole('dialog', { name: 'Run plan' });
    await poll(() => plan.locator('h3').textContent()).toBe('Run: 3 of 3 steps will run');
    await plan.getByRole('button', { name: 'Run' }).click();
    await poll(() => page.locator('.sw-run-status').textContent()).toBe('run completed');
    for (const step of ['numbers', 'double', 'sum'])
      expect(await page.locator(`.react-flow__node[data-id="${step}"] .sw-badge`).textContent()).toBe('completed');
    expect(await page.locator('.react-flow__node[data-id="numbers"] .sw-node-run').textContent()).toMatch(/5 rows/);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('refuses a save over a file changed on disk with a clear message, and loads their version on request', async () => {
    const { url, dir } = await startServer({ uiDir: ui.dir });
    const path = join(dir, 'workflows', 'three.json');
    writeFileSync(path, `${JSON.stringify(three(), null, 2)}\n`);
    const { page, errors } = await openApp(url, '/#/workflows/three');
    await poll(() => page.locator('.react-flow__node').count()).toBe(3);
    writeFileSync(path, `${JSON.stringify({ ...three(), name: 'Changed on disk' }, null, 2)}\n`);

    await page.locator('.react-flow__node[data-id="numbers"]').click();
    await page.locator('#config-numbers_count').fill('9');
    await page.getByRole('button', { name: 'Save' }).click();
    const alert = page.getByRole('alert');
    await poll(() => alert.textContent()).toMatch(/Workflow "three" was changed since the version you edited/);
    await alert.getByRole('button', { name: 'Load theirs' }).click();
    await poll(() => page.locator('.sw-title').textContent()).toBe('Changed on disk');
    expect(await page.locator('.sw-dirty').count()).toBe(0);
    expect(errors.filter((error) => !/409/.test(error))).toEqual([]);
    await page.close();
  }, 120_000);
});
