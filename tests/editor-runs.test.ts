/**
 * Runs from the editor app, end to end: Debian's Chromium (playwright-core) on the editor's
 * production build served by a real server on a free loopback port. A step fails, its config is
 * fixed in the form and the run resumed: the server's events show that only what the plan said ran
 * again. "Run every step again" runs what a plain Run would reuse. Steps pushed down to DuckDB are
 * marked on the canvas, and a lazy output counted once its query has run, for a later step or a preview.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { followEvents, startServer, workflow } from '../packages/server/src/test-kit.js';
import { createHttpApi } from '../packages/ui/src/api/http-api.js';
import type { RunDetail } from '../packages/ui/src/api/types.js';
import { badgeOf, chromiumAvailable, holdRequests, openApp, poll, sharedBrowser } from './editor-kit.js';

const available = chromiumAvailable('editor run tests');

describe.skipIf(!available)('runs from the editor app in Chromium against a real server', () => {
  const shared = sharedBrowser();

  it('a failed step, fixed in its form and resumed: only the steps the plan said run again', async () => {
    const { url, dir } = await startServer({ uiDir: shared.ui.dir });
    const checked = workflow('checked', [
      ['numbers', 'srv_numbers', { count: 4 }],
      ['double', 'srv_double'],
      ['limit', 'srv_limit', { max: 5 }],
      ['sum', 'srv_sum'],
    ]);
    writeFileSync(join(dir, 'workflows', 'checked.json'), `${JSON.stringify(checked, null, 2)}\n`);
    const { page, errors } = await openApp(shared.browser, url, '/#/workflows/checked');
    const runStatus = page.locator('.sw-run-status');
    const plan = page.getByRole('dialog', { name: 'Run plan' });

    // doubled, the rows are 2, 4, 6, 8: limit fails on 6, with its error on the canvas
    await page.getByRole('button', { name: 'Run…' }).click();
    await plan.getByRole('button', { name: 'Run' }).click();
    await poll(() => runStatus.textContent()).toBe('run failed');
    expect(await badgeOf(page, 'limit')).toBe('failed');
    expect(await page.locator('.react-flow__node[data-id="limit"] .sw-node-run').textContent()).toMatch(
      /A row has n = 6, over the limit 5\./,
    );
    const runId = (await runStatus.getAttribute('data-run')) as string;
    const api = createHttpApi({ baseUrl: url });
    const failed = (await api.getRun(runId)) as RunDetail;

    // fixed in the form, then Resume…: the plan keeps numbers and double, runs limit and sum
    await page.locator('.react-flow__node[data-id="limit"]').click();
    await page.locator('#config-limit_max').fill('10');
    await page.getByRole('button', { name: 'Resume…' }).click();
    await poll(() => plan.locator('h3').textContent()).toBe('Resume: 2 of 4 steps will run');
    const planned = await plan.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.textContent));
    expect(planned.slice(0, 2)).toEqual(['numbersreuse', 'doublereuse']);
    expect(planned[2]).toMatch(/^limitrun.*failed in run_/);
    expect(planned[3]).toMatch(/^sumrun/);
    await plan.getByRole('button', { name: 'Resume' }).click();
    await poll(() => runStatus.textContent()).toBe('run completed');
    await poll(() => badgeOf(page, 'sum')).toBe('completed');
    expect(await badgeOf(page, 'numbers')).toBe('reused');
    expect(await badgeOf(page, 'double')).toBe('reused');
    expect(await badgeOf(page, 'limit')).toBe('completed');

    // the server's events since the failure: exactly limit and sum started again, and the record agrees
    const events = await followEvents(url, runId, { after: failed.seq });
    await events.ended;
    expect(events.events.filter((event) => event.type === 'step.started').map((event) => event.stepId)).toEqual([
      'limit',
      'sum',
    ]);
    const resumed = (await api.getRun(runId)) as RunDetail;
    expect(
      resumed.steps.map((step) => [step.id, step.status, step.startedAt === failedStart(failed, step.id)]),
    ).toEqual([
      ['numbers', 'completed', true],
      ['double', 'completed', true],
      ['limit', 'completed', false],
      ['sum', 'completed', false],
    ]);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('"Run every step again": a run that reuses nothing, where a plain Run would reuse every step', async () => {
    const { url, dir } = await startServer({ uiDir: shared.ui.dir });
    const three = workflow('three', [
      ['numbers', 'srv_numbers', { count: 4 }],
      ['double', 'srv_double'],
      ['sum', 'srv_sum'],
    ]);
    writeFileSync(join(dir, 'workflows', 'three.json'), `${JSON.stringify(three, null, 2)}\n`);
    const { page, errors } = await openApp(shared.browser, url, '/#/workflows/three');
    const plan = page.getByRole('dialog', { name: 'Run plan' });
    const everyStep = plan.getByRole('checkbox', { name: /Run every step again/ });
    const runStatus = page.locator('.sw-run-status');

    await page.getByRole('button', { name: 'Run…' }).click();
    await plan.getByRole('button', { name: 'Run' }).click();
    await poll(() => runStatus.textContent()).toBe('run completed');
    const first = await runStatus.getAttribute('data-run');

    // the server plans the choice slowly (as under load): the box keeps the click, Run waits for the plan
    await page.getByRole('button', { name: 'Run…' }).click();
    await poll(() => plan.locator('h3').textContent()).toBe('Run: 0 of 3 steps will run');
    const slow = await holdRequests(page, '**/api/plan**');
    await everyStep.check();
    await poll(() => slow.count()).toBe(1);
    expect(await everyStep.isChecked()).toBe(true);
    expect(await plan.locator('h3').textContent()).toBe('Run: planning…');
    expect(await plan.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
    await slow.release();
    await poll(() => plan.locator('h3').textContent()).toBe('Run: 3 of 3 steps will run');
    expect(await everyStep.isChecked()).toBe(true);
    await plan.getByRole('button', { name: 'Run' }).click();
    await poll(() => runStatus.getAttribute('data-run')).not.toBe(first);
    await poll(() => runStatus.textContent()).toBe('run completed');
    for (const step of ['numbers', 'double', 'sum']) expect(await badgeOf(page, step)).toBe('completed');

    const api = createHttpApi({ baseUrl: url });
    const { runs } = await api.listRuns({ workflowId: 'three' });
    expect(runs).toHaveLength(2);
    const latest = (await api.getRun(runs[0]?.id as string)) as RunDetail;
    expect(latest.steps.map((step) => [step.id, step.reusedFrom ?? null, step.attempts])).toEqual([
      ['numbers', null, 1],
      ['double', null, 1],
      ['sum', null, 1],
    ]);

    // a plan answered after Close does not open the dialog again
    await page.getByRole('button', { name: 'Run…' }).click();
    await poll(() => plan.locator('h3').textContent()).toBe('Run: 0 of 3 steps will run');
    const late = await holdRequests(page, '**/api/plan**');
    await everyStep.check();
    await poll(() => late.count()).toBe(1);
    await plan.getByRole('button', { name: 'Close' }).click();
    await late.release();
    expect(await plan.count()).toBe(0);

    // the choice holds for one plan: the next Run… reuses again
    await page.getByRole('button', { name: 'Run…' }).click();
    await poll(() => plan.locator('h3').textContent()).toBe('Run: 0 of 3 steps will run');
    expect(await everyStep.isChecked()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});

describe.skipIf(!available)('pushed-down steps in the editor app in Chromium against a real server', () => {
  const shared = sharedBrowser();

  it('marks the steps pushed down to DuckDB, counts a lazy output once queried or previewed, and the page does not scroll', async () => {
    const { url, dir } = await startServer({ uiDir: shared.ui.dir });
    writeFileSync(join(dir, 'sales.csv'), 'region,amount\nnorth,10\nsouth,20\neast,7\nwest,1\n');
    const lazy = workflow('lazy', [
      ['read', 'read_csv', { path: 'sales.csv' }],
      ['big', 'filter_rows', { where: 'd.amount > 5' }],
      ['some', 'sample', { n: 2 }],
      ['numbers', 'srv_numbers', { count: 2 }],
    ]);
    writeFileSync(join(dir, 'workflows', 'lazy.json'), `${JSON.stringify(lazy, null, 2)}\n`);
    const { page, errors } = await openApp(shared.browser, url, '/#/workflows/lazy');
    const node = (step: string) => page.locator(`.react-flow__node[data-id="${step}"]`);

    // the steps `stepwise run --dry-run` marks, before anything runs
    await poll(() => node('read').locator('.sw-node-pushdown').textContent()).toMatch(/⇣ DuckDB/);
    expect(await node('big').locator('.sw-node-pushdown').textContent()).toMatch(/⇣ DuckDB/);
    expect(await node('some').locator('.sw-node-pushdown').count()).toBe(0);
    expect(await node('numbers').locator('.sw-node-pushdown').count()).toBe(0);

    await page.getByRole('button', { name: 'Run…' }).click();
    await page.getByRole('dialog', { name: 'Run plan' }).getByRole('button', { name: 'Run' }).click();
    await poll(() => page.locator('.sw-run-status').textContent()).toBe('run completed');
    await poll(() => node('numbers').locator('.sw-node-run').textContent()).toMatch(/2 rows/);
    // sample needs big's rows: the run ran big's query, and its count shows with no preview
    await poll(() => node('big').locator('.sw-node-run').textContent()).toMatch(/3 rows/);
    // read's output is a query never run (big extended it): no count rather than a guess
    expect(await node('read').locator('.sw-node-run').textContent()).not.toMatch(/rows/);

    // its preview runs the query: the count shows on the node, and stays for the run
    await node('read').click();
    await page.getByRole('tab', { name: 'preview' }).click();
    const preview = page.getByRole('region', { name: 'Data preview' });
    await poll(() => preview.locator('p').first().textContent()).toMatch(/4 rows/);
    await poll(() => node('read').locator('.sw-node-run').textContent()).toMatch(/4 rows/);

    // the editor fills the window: with the preview open the page itself does not scroll
    const scrolled = await page.evaluate(() => {
      const view = globalThis as unknown as { scrollBy(x: number, y: number): void; scrollY: number };
      view.scrollBy(0, 100);
      return view.scrollY;
    });
    expect(scrolled).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});

function failedStart(run: RunDetail, stepId: string): number | undefined {
  return run.steps.find((step) => step.id === stepId)?.startedAt;
}
