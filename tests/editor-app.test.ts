/**
 * The editor app end to end: Debian's Chromium (playwright-core) on the editor's production build
 * served by a real `createServer` on a free loopback port, driven as a person would: open a saved
 * workflow, edit a parameter, see the server's validation issue and click it to its field, fix it,
 * save, run and watch the statuses turn completed.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowDocument } from '@stepwise/core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startServer, workflow } from '../packages/server/src/test-kit.js';
import { createHttpApi } from '../packages/ui/src/api/http-api.js';
import type { RunDetail } from '../packages/ui/src/api/types.js';
import { chromiumAvailable, openApp as openPage, poll, sharedBrowser } from './editor-kit.js';

const available = chromiumAvailable('editor app tests');

const three = () =>
  workflow('three', [
    ['numbers', 'srv_numbers', { count: 4 }],
    ['double', 'srv_double'],
    ['sum', 'srv_sum'],
  ]);

describe.skipIf(!available)('the editor app in Chromium against a real server', () => {
  const shared = sharedBrowser();

  const openApp = (url: string, path = '/'): Promise<{ page: Page; errors: string[] }> =>
    openPage(shared.browser, url, path);

  it('opens a saved workflow, edits a parameter, shows the issue at its field, saves, runs and follows the statuses', async () => {
    const { url, dir } = await startServer({ uiDir: shared.ui.dir });
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
    // going back to the list with unsaved changes asks first; dismissed, the editor stays
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: '← Workflows' }).click();
    await poll(() => asked).toEqual(['Leave this workflow without saving your changes?']);
    expect(page.url()).toMatch(/#\/workflows\/three$/);
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

    // fixed and saved with Ctrl+S: the file on disk has it, the unsaved mark is gone
    await count.fill('5');
    await poll(() => page.getByRole('tab', { name: /issues/ }).textContent()).toBe('issues (0)');
    await page.keyboard.press('Control+s');
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
    const { url, dir } = await startServer({ uiDir: shared.ui.dir });
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

  it('lists the saved workflows: new, duplicate, rename, delete and import a file', async () => {
    const { url, dir } = await startServer({ uiDir: shared.ui.dir });
    const folder = join(dir, 'workflows');
    writeFileSync(join(folder, 'three.json'), `${JSON.stringify(three(), null, 2)}\n`);
    const { page, errors } = await openApp(url);
    const ids = async () =>
      await page
        .locator('tr[data-workflow]')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-workflow')));

    await page.getByLabel('New workflow id').fill('fresh');
    await page.getByRole('button', { name: 'New workflow' }).click();
    await poll(() => page.url()).toMatch(/#\/workflows\/fresh$/);
    await poll(() => page.locator('.sw-title').textContent()).toBe('fresh');
    await page.getByRole('button', { name: '← Workflows' }).click();
    await poll(ids).toEqual(['fresh', 'three']);

    await page.locator('tr[data-workflow="three"]').getByRole('button', { name: 'Duplicate' }).click();
    await poll(ids).toEqual(['fresh', 'three', 'three-copy']);
    await page.locator('tr[data-workflow="three-copy"]').getByRole('button', { name: 'Rename…' }).click();
    await page.getByLabel('New id').fill('renamed');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await poll(ids).toEqual(['fresh', 'renamed', 'three']);
    await page.locator('tr[data-workflow="fresh"]').getByRole('button', { name: 'Delete' }).click();
    await page.locator('tr[data-workflow="fresh"]').getByRole('button', { name: 'Really delete' }).click();
    await poll(ids).toEqual(['renamed', 'three']);
    expect(readdirSync(folder).sort()).toEqual(['renamed.json', 'three.json']);
    expect(JSON.parse(readFileSync(join(folder, 'renamed.json'), 'utf8')).name).toBe('Workflow three (copy)');

    // import: the file is saved under its id and opened
    const imported = { ...three(), id: 'imported', name: 'Imported' };
    await page.getByLabel('Import a workflow file').setInputFiles({
      name: 'imported.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(imported)),
    });
    await poll(() => page.locator('.react-flow__node').count()).toBe(3);
    expect(page.url()).toMatch(/#\/workflows\/imported$/);
    expect(JSON.parse(readFileSync(join(folder, 'imported.json'), 'utf8')).name).toBe('Imported');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('picks a running run up again after a reload, cancels one, and resumes it: only what did not complete runs', async () => {
    const { url, dir } = await startServer({ uiDir: shared.ui.dir });
    const hold = join(dir, 'hold');
    writeFileSync(hold, '');
    const gated = workflow('gated', [
      ['numbers', 'srv_numbers', { count: 3 }],
      ['gate', 'srv_gate', { hold }],
      ['sum', 'srv_sum'],
    ]);
    writeFileSync(join(dir, 'workflows', 'gated.json'), `${JSON.stringify(gated, null, 2)}\n`);
    const { page, errors } = await openApp(url, '/#/workflows/gated');
    const badge = (step: string) => page.locator(`.react-flow__node[data-id="${step}"] .sw-badge`).textContent();
    const runStatus = () => page.locator('.sw-run-status').textContent();

    await page.getByRole('button', { name: 'Run…' }).click();
    await page.getByRole('dialog', { name: 'Run plan' }).getByRole('button', { name: 'Run' }).click();
    await poll(() => badge('gate')).toBe('running');
    await page.reload();
    await poll(runStatus).toBe('run running');
    await poll(() => badge('numbers')).toBe('completed');
    await poll(() => badge('gate')).toBe('running');
    rmSync(hold);
    await poll(runStatus).toBe('run completed');
    await poll(() => badge('sum')).toBe('completed');

    // a second run (numbers' count edited: Run reuses what is unchanged since the latest run, so
    // nothing would run without an edit), cancelled while it waits, then resumed
    writeFileSync(hold, '');
    await page.locator('.react-flow__node[data-id="numbers"]').click();
    await page.locator('#config-numbers_count').fill('4');
    await page.getByRole('button', { name: 'Run…' }).click();
    await page.getByRole('dialog', { name: 'Run plan' }).getByRole('button', { name: 'Run' }).click();
    await poll(() => badge('gate')).toBe('running');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await poll(runStatus).toBe('run cancelled');
    rmSync(hold);
    await page.getByRole('button', { name: 'Resume…' }).click();
    const plan = page.getByRole('dialog', { name: 'Run plan' });
    await poll(() => plan.locator('h3').textContent()).toBe('Resume: 2 of 3 steps will run');
    await plan.getByRole('button', { name: 'Resume' }).click();
    await poll(runStatus).toBe('run completed');
    await poll(() => badge('sum')).toBe('completed');
    // the step the resume kept shows as reused, the ones it ran as completed
    expect(await badge('numbers')).toBe('reused');
    expect(await badge('gate')).toBe('completed');
    await page.getByRole('tab', { name: 'history' }).click();
    // a resume continues its run: two runs, both completed
    await poll(() => page.locator('.sw-history li .sw-badge').allTextContents()).toEqual(['completed', 'completed']);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('exports the document as the very bytes the server saved', async () => {
    const { url, dir } = await startServer({ uiDir: shared.ui.dir });
    await createHttpApi({ baseUrl: url }).createWorkflow(three() as unknown as WorkflowDocument);
    const { page, errors } = await openApp(url, '/#/workflows/three');
    await poll(() => page.locator('.react-flow__node').count()).toBe(3);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('three.json');
    const exported = readFileSync((await file.path()) as string);
    expect(exported.equals(readFileSync(join(dir, 'workflows', 'three.json')))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('with a token: the page loads without it, asks for it once, keeps it for the tab, and runs with it', async () => {
    const token = 'editor-token-0123456789';
    const { url } = await startServer({ uiDir: shared.ui.dir, token });
    await createHttpApi({ baseUrl: url, token }).createWorkflow(three() as unknown as WorkflowDocument);
    const { page, errors } = await openApp(url);
    const form = page.getByRole('dialog', { name: 'Access token' });
    await poll(() => form.locator('h3').textContent()).toBe('This server needs its access token');

    // a wrong token is refused and asked for again; the right one opens the list
    await form.locator('input').fill('not-the-token-at-all');
    await form.getByRole('button', { name: 'Continue' }).click();
    await poll(() => form.locator('p').textContent()).toMatch(/^The server refused that token/);
    await form.locator('input').fill(token);
    await form.getByRole('button', { name: 'Continue' }).click();
    await poll(() => form.count()).toBe(0);
    await page.getByRole('button', { name: /Workflow three/ }).click();
    await poll(() => page.locator('.react-flow__node').count()).toBe(3);

    // kept for the tab: a reload does not ask again; the run and its events go with the token
    await page.reload();
    await poll(() => page.locator('.react-flow__node').count()).toBe(3);
    expect(await form.count()).toBe(0);
    expect(
      await page.evaluate(() =>
        (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem(
          'stepwise.token',
        ),
      ),
    ).toBe(token);
    await page.getByRole('button', { name: 'Run…' }).click();
    await page.getByRole('dialog', { name: 'Run plan' }).getByRole('button', { name: 'Run' }).click();
    await poll(() => page.locator('.sw-run-status').textContent()).toBe('run completed');
    expect(await page.locator('.react-flow__node[data-id="sum"] .sw-badge').textContent()).toBe('completed');
    // the preview's downloads go with the token too
    await page.locator('.react-flow__node[data-id="numbers"]').click();
    await page.getByRole('tab', { name: 'preview' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^ref_.+\.csv$/);
    const csv = readFileSync((await file.path()) as string, 'utf8');
    expect(csv.split(/\r?\n/).filter(Boolean)).toHaveLength(5);
    // the only errors: the browser's own lines for the refused requests (no token, then the wrong one)
    expect(errors.filter((line) => !/status of 401 \(Unauthorized\)/.test(line))).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    await page.close();
  }, 120_000);

  it('after a run, one changed parameter: the plan runs only that step and those after it, the rest reused (no strategy.cache)', async () => {
    const { url, dir } = await startServer({ uiDir: shared.ui.dir });
    const cached = workflow('cached', [
      ['numbers', 'srv_numbers', { count: 4 }],
      ['busy', 'srv_busy', { steps: 2, everyMs: 0 }],
      ['sum', 'srv_sum'],
    ]);
    writeFileSync(join(dir, 'workflows', 'cached.json'), `${JSON.stringify(cached, null, 2)}\n`);
    const { page, errors } = await openApp(url, '/#/workflows/cached');
    const badge = (step: string) => page.locator(`.react-flow__node[data-id="${step}"] .sw-badge`).textContent();
    const plan = page.getByRole('dialog', { name: 'Run plan' });
    const actions = () => plan.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.textContent));

    await page.getByRole('button', { name: 'Run…' }).click();
    await poll(() => plan.locator('h3').textContent()).toBe('Run: 3 of 3 steps will run');
    await plan.getByRole('button', { name: 'Run' }).click();
    await poll(() => page.locator('.sw-run-status').textContent()).toBe('run completed');
    const first = await page.locator('.sw-run-status').getAttribute('data-run');

    // busy's steps 2 → 3 in its form: busy and sum run, numbers is reused from the latest run
    await page.locator('.react-flow__node[data-id="busy"]').click();
    await page.locator('#config-busy_steps').fill('3');
    await poll(() => page.locator('.sw-dirty').count()).toBe(1);
    await page.getByRole('button', { name: 'Run…' }).click();
    await poll(() => plan.locator('h3').textContent()).toBe('Run: 2 of 3 steps will run');
    const planned = await actions();
    expect(planned[0]).toBe('numbersreuse');
    expect(planned[1]).toMatch(/^busyrun.*config: steps 2 → 3/);
    expect(planned[2]).toMatch(/^sumrun/);
    await plan.getByRole('button', { name: 'Run' }).click();
    // the first run's "run completed" shows until the second run's first event arrives
    await poll(() => page.locator('.sw-run-status').getAttribute('data-run')).not.toBe(first);
    await poll(() => page.locator('.sw-run-status').textContent()).toBe('run completed');
    expect(await badge('numbers')).toBe('reused');
    expect(await badge('busy')).toBe('completed');
    expect(await badge('sum')).toBe('completed');

    // the server's record of that run says the same
    const { runs } = await createHttpApi({ baseUrl: url }).listRuns({ workflowId: 'cached' });
    expect(runs).toHaveLength(2);
    const latest = (await createHttpApi({ baseUrl: url }).getRun(runs[0]?.id as string)) as RunDetail;
    expect(latest.steps.map((step) => [step.id, step.reusedFrom ?? null, step.attempts])).toEqual([
      ['numbers', runs[1]?.id, 1],
      ['busy', null, 1],
      ['sum', null, 1],
    ]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
