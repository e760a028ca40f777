/**
 * The sales example in the editor app, end to end, as the docs show it: Debian's Chromium
 * (playwright-core) on the editor's production build served by a real server over a copy of the
 * example (5,000 generated rows). Open it, enter a bad parameter and see the inline error, fix it,
 * run, page through a step's output, open the history.
 *
 * With STEPWISE_SCREENSHOTS=1 the test also writes the screenshots of docs/editor.md and the
 * README into docs/images; without it nothing is written (the images change on every run: times,
 * durations), so `npm test` leaves git clean.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSales } from '../examples/data/generate-sales.js';
import { startServer } from '../packages/server/src/test-kit.js';
import { badgeOf, CHROMIUM, CHROMIUM_ARGS, chromiumAvailable, editorBuild, openApp, poll } from './editor-kit.js';
import { type LinkedProject, linkedProject, repoRoot } from './linked-project.js';

const available = chromiumAvailable('editor sales example tests');
const SCREENSHOTS = process.env.STEPWISE_SCREENSHOTS === '1';
const IMAGES = resolve(repoRoot, 'docs', 'images');
const ROWS = 5000;

/** Writes docs/images/`name`.png when STEPWISE_SCREENSHOTS=1. */
async function shot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.screenshot({ path: join(IMAGES, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

const EXAMPLES = [
  'examples/sales/workflow.json',
  ...readdirSync(join(repoRoot, 'examples', 'tables'))
    .filter((name) => name.endsWith('.workflow.json'))
    .map((name) => `examples/tables/${name}`),
];

describe.skipIf(!available)('the sales example in the editor app in Chromium', () => {
  let ui: { dir: string; made: boolean };
  let browser: Browser;
  let project: LinkedProject;

  beforeAll(async () => {
    ui = await editorBuild();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // the project `npm start` serves: the examples saved in workflows/, the sales data generated
    project = await linkedProject(EXAMPLES);
    mkdirSync(join(project.dir, 'workflows'));
    for (const example of EXAMPLES) {
      const { id } = JSON.parse(readFileSync(join(project.dir, example), 'utf8')) as { id: string };
      copyFileSync(join(project.dir, example), join(project.dir, 'workflows', `${id}.json`));
    }
    await generateSales(ROWS, join(project.dir, 'examples/data/out/sales.csv'));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    project?.remove();
    if (ui?.made) rmSync(ui.dir, { recursive: true, force: true });
  });

  it('opens the sales example, shows a bad parameter at its field, runs it, pages a preview and lists the run', async () => {
    const { url } = await startServer({ uiDir: ui.dir, cwd: project.dir });
    const { page, errors } = await openApp(browser, url, '/', { width: 1920, height: 1000 });
    const node = (step: string) => page.locator(`.react-flow__node[data-id="${step}"]`);

    await poll(() => page.locator('tr[data-workflow]').count()).toBe(EXAMPLES.length);
    await shot(page, 'editor-workflows');
    await page.getByRole('button', { name: /Sales revenue by region/ }).click();
    await poll(() => page.locator('.react-flow__node').count()).toBe(9);
    // the whole workflow in view (zoom to fit)
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('1');

    // a threshold over 1: the server's issue at the field, and in the issues tab
    await node('clean').click();
    const threshold = page.locator('#config-clean_threshold');
    await threshold.fill('2');
    await poll(() => page.getByRole('tab', { name: /issues/ }).textContent()).toBe('issues (1)');
    const panel = page.getByRole('region', { name: 'Step clean' });
    await poll(() => panel.textContent()).toMatch(/less than or equal to 1|<=\s?1|at most 1/i);
    await shot(page, 'editor-step-error');
    await threshold.fill('0.25');
    await poll(() => page.getByRole('tab', { name: /issues/ }).textContent()).toBe('issues (0)');
    expect(await page.locator('.sw-dirty').count()).toBe(0);

    // the plan, then the run followed live to the end
    await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
    await page.getByRole('button', { name: 'Run…' }).click();
    const plan = page.getByRole('dialog', { name: 'Run plan' });
    await poll(() => plan.locator('h3').textContent()).toBe('Run: 9 of 9 steps will run');
    await shot(page, 'editor-plan');
    await plan.getByRole('button', { name: 'Run' }).click();
    await poll(() => page.locator('.sw-run-status').textContent()).toBe('run completed');
    for (const step of ['load', 'clean', 'by_region', 'ranked', 'save_parquet'])
      expect(await badgeOf(page, step)).toBe('completed');
    // a DataFrame's rows are counted from the stored value once the run ends (load's is lazy: no count)
    await poll(() => node('by_region').locator('.sw-node-run').textContent()).toMatch(/32 rows/);
    expect(await node('clean').locator('.sw-node-run').textContent()).toMatch(/\d rows/);

    // the result of by_region in the preview, beside the finished run
    await node('by_region').click();
    await page.getByRole('tab', { name: 'preview' }).click();
    const preview = page.getByRole('region', { name: 'Data preview' });
    await poll(() => preview.locator('th').allTextContents()).toEqual([
      'region string',
      'product string',
      'orders number',
      'units number',
      'revenue number',
    ]);
    await shot(page, 'editor-run');

    // load's 5,000 rows, paged from the server as the table scrolls to its end
    const offsets: number[] = [];
    page.on('request', (request) => {
      const found = /\/rows\?offset=(\d+)/.exec(request.url());
      if (found) offsets.push(Number(found[1]));
    });
    await node('load').click();
    await poll(() => preview.locator('p').first().textContent()).toMatch(/5,000 rows/);
    await poll(() => preview.locator('tbody tr[aria-rowindex="1"] td').first().textContent()).toBe('1');
    await preview.locator('.sw-scroll').evaluate((box) => box.scrollTo(0, box.scrollHeight));
    await poll(() => preview.locator(`tbody tr[aria-rowindex="${ROWS}"] td`).first().textContent()).toBe(String(ROWS));
    expect(Math.max(...offsets)).toBeGreaterThan(0);
    await shot(page, 'editor-preview');

    await page.getByRole('tab', { name: 'history' }).click();
    await poll(() => page.locator('.sw-history li .sw-badge').allTextContents()).toEqual(['completed']);
    await shot(page, 'editor-history');
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
