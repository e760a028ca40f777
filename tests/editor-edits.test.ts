/**
 * Editing a saved workflow in the editor app, end to end: Debian's Chromium (playwright-core) on the
 * editor's production build served by a real server on a free loopback port. Steps come from the
 * palette by drag and by Enter, get connected and saved; a click on Export that commits a typed id
 * exports it; ten edits are undone and redone with the keys; an imported file exports as the same bytes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyWorkflow, type WorkflowDocument } from '@stepwise/core';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startServer, workflow } from '../packages/server/src/test-kit.js';
import {
  badgeOf,
  centre,
  chromiumAvailable,
  dragMouse,
  exported,
  exportedDocument,
  handleOf,
  openApp,
  poll,
  sharedBrowser,
} from './editor-kit.js';

const available = chromiumAvailable('editor edit tests');

const three = () =>
  workflow('three', [
    ['numbers', 'srv_numbers', { count: 4 }],
    ['double', 'srv_double'],
    ['sum', 'srv_sum'],
  ]);

const node = (page: Page, step: string) => page.locator(`.react-flow__node[data-id="${step}"]`);
const stepOf = (document: WorkflowDocument, id: string) => document.steps.find((step) => step.id === id);

/** Drops palette entry `slug` on an empty spot of the canvas (below the laid-out steps). */
async function dropFromPalette(page: Page, slug: string): Promise<void> {
  const pane = page.locator('.react-flow__pane');
  const box = await pane.boundingBox();
  if (box === null) throw new Error('no pane');
  await page
    .locator(`[data-slug="${slug}"]`)
    .dragTo(pane, { targetPosition: { x: box.width / 2, y: box.height - 100 } });
  await poll(() => node(page, slug).count()).toBe(1);
}

/** Selects `after`, searches the palette for `slug` with the `/` key and adds it with Enter. */
async function appendWithEnter(page: Page, slug: string, after: string): Promise<void> {
  await node(page, after).click();
  await page.locator('.react-flow__pane').press('/');
  await page.keyboard.type(slug);
  await poll(() => page.locator('.sw-palette-entry.sw-active').getAttribute('data-slug')).toBe(slug);
  await page.keyboard.press('Enter');
  await poll(() => node(page, slug).count()).toBe(1);
  // out of the search box, and every step in view
  await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('1');
}

describe.skipIf(!available)('editing a workflow in the editor app in Chromium against a real server', () => {
  const shared = sharedBrowser();

  async function openThree(): Promise<{ page: Page; errors: string[]; url: string; file: string }> {
    const { url, dir } = await startServer({ uiDir: shared.ui.dir });
    const file = join(dir, 'workflows', 'three.json');
    writeFileSync(file, `${JSON.stringify(three(), null, 2)}\n`);
    const { page, errors } = await openApp(shared.browser, url, '/#/workflows/three');
    await poll(() => page.locator('.react-flow__node').count()).toBe(3);
    return { page, errors, url, file };
  }

  it('adds a step dragged from the palette and one by Enter after the selection, connects them, saves and runs', async () => {
    const { page, errors, file } = await openThree();

    await dropFromPalette(page, 'srv_numbers');
    await appendWithEnter(page, 'srv_double', 'numbers');
    let document = await exportedDocument(page);
    expect(document.steps.map((step) => step.id)).toEqual(['numbers', 'srv_double', 'double', 'sum', 'srv_numbers']);
    // the dropped step is where it was dropped; double keeps reading numbers past the inserted step
    expect((document.ui?.positions as Record<string, unknown> | undefined)?.srv_numbers).toBeDefined();
    expect(stepOf(document, 'double')?.inputs).toEqual({ input: { step: 'numbers' } });

    // the new source into the new step's input, by dragging between their handles
    // (srv_double then runs after srv_numbers and reads it as its previous step, so it needs no `inputs`)
    await dragMouse(
      page,
      await centre(handleOf(page, 'srv_numbers', 'source')),
      await centre(handleOf(page, 'srv_double', 'target')),
    );
    const order = ['numbers', 'double', 'sum', 'srv_numbers', 'srv_double'];
    await poll(async () => (await exportedDocument(page)).steps.map((step) => step.id)).toEqual(order);
    expect(stepOf(await exportedDocument(page), 'srv_double')?.inputs).toBeUndefined();

    await page.keyboard.press('Control+s');
    await poll(() => page.locator('.sw-dirty').count()).toBe(0);
    document = JSON.parse(readFileSync(file, 'utf8')) as WorkflowDocument;
    expect(document.steps.map((step) => step.id)).toEqual(order);
    expect(readFileSync(file, 'utf8')).toBe(await exported(page));

    // what was saved runs: five steps, all completed
    await page.getByRole('button', { name: 'Run…' }).click();
    const plan = page.getByRole('dialog', { name: 'Run plan' });
    await poll(() => plan.locator('h3').textContent()).toBe('Run: 5 of 5 steps will run');
    await plan.getByRole('button', { name: 'Run' }).click();
    await poll(() => page.locator('.sw-run-status').textContent()).toBe('run completed');
    for (const step of ['numbers', 'srv_double', 'double', 'sum', 'srv_numbers'])
      expect(await badgeOf(page, step)).toBe('completed');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('refuses a connection of the wrong type while dragging, with the reason (gone once the mouse is up), and adds none', async () => {
    const { page, errors } = await openThree();
    await dropFromPalette(page, 'write_csv');
    const before = await exported(page);
    const from = await centre(handleOf(page, 'numbers', 'source'));
    const to = await centre(handleOf(page, 'write_csv', 'target'));
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 15 });
    await poll(() => page.locator('.sw-hint').textContent()).toBe(
      'Input "input" of step "write_csv" (write_csv) expects DataFrame, but step "numbers" (srv_numbers) gives JSON.',
    );
    await page.mouse.up();
    expect(await exported(page)).toBe(before);
    // the reason was for the drag: it goes with the mouse up
    await poll(() => page.locator('.sw-hint').count(), 'the hint to go after the drag').toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('exports on the very click that commits a typed step id (the unsaved mark then showing moves no button)', async () => {
    const { page, errors } = await openThree();
    await node(page, 'double').click();
    await page.getByLabel('Step id').fill('twice');
    const exportButton = page.getByRole('button', { name: 'Export' });
    const before = await exportButton.boundingBox();
    // the press takes the focus from the field, which commits the id: the document turns unsaved between
    // the press and the release; the click must still be Export's
    const document = await exportedDocument(page);
    expect(document.steps.map((step) => step.id)).toEqual(['numbers', 'twice', 'sum']);
    expect(await page.locator('.sw-dirty').count()).toBe(1);
    expect(await exportButton.boundingBox()).toEqual(before);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('undoes ten edits with Ctrl+Z and redoes them with Ctrl+Shift+Z, the document right after each key', async () => {
    const { page, errors, file } = await openThree();
    const pane = page.locator('.react-flow__pane');
    const blur = () => pane.click({ position: { x: 5, y: 5 } });
    const edits: [string, () => Promise<void>][] = [
      ['drop srv_busy from the palette', () => dropFromPalette(page, 'srv_busy')],
      ['add srv_sum after numbers with Enter', () => appendWithEnter(page, 'srv_sum', 'numbers')],
      [
        'set numbers count to 6',
        async () => {
          await node(page, 'numbers').click();
          await page.locator('#config-numbers_count').fill('6');
        },
      ],
      [
        'rename double to twice',
        async () => {
          await node(page, 'double').click();
          await page.getByLabel('Step id').fill('twice');
          await page.getByLabel('Step id').press('Enter');
          await poll(() => node(page, 'twice').count()).toBe(1);
        },
      ],
      [
        'connect numbers to srv_busy',
        async () => {
          await blur();
          await page.keyboard.press('1');
          await dragMouse(
            page,
            await centre(handleOf(page, 'numbers', 'source')),
            await centre(handleOf(page, 'srv_busy', 'target')),
          );
        },
      ],
      [
        'delete srv_sum',
        async () => {
          await node(page, 'srv_sum').click();
          await page.keyboard.press('Delete');
          await poll(() => node(page, 'srv_sum').count()).toBe(0);
        },
      ],
      [
        'duplicate sum',
        async () => {
          await node(page, 'sum').click();
          await page.keyboard.press('Control+d');
          await poll(() => node(page, 'sum_2').count()).toBe(1);
        },
      ],
      [
        'move numbers',
        async () => {
          await blur();
          const at = await centre(node(page, 'numbers').locator('.sw-node-head'));
          await dragMouse(page, at, { x: at.x + 40, y: at.y + 90 });
        },
      ],
      [
        'disconnect srv_busy',
        async () => {
          await blur();
          await page.locator('.react-flow__edge[data-id="srv_busy:input"]').focus();
          await page.keyboard.press('Enter');
          await page.keyboard.press('Delete');
        },
      ],
      [
        'set srv_busy steps to 3',
        async () => {
          await node(page, 'srv_busy').click();
          await page.locator('#config-srv_busy_steps').fill('3');
        },
      ],
    ];

    const versions = [await exported(page)];
    for (const [name, edit] of edits) {
      await edit();
      const previous = versions.at(-1);
      await poll(() => exported(page), name).not.toBe(previous);
      versions.push(await exported(page));
    }
    expect(new Set(versions).size).toBe(11);
    const last = JSON.parse(versions[10] as string) as WorkflowDocument;
    expect(last.steps.map((step) => step.id).sort()).toEqual(['numbers', 'srv_busy', 'sum', 'sum_2', 'twice']);
    expect(stepOf(last, 'numbers')?.config).toEqual({ count: 6 });
    expect(stepOf(last, 'srv_busy')?.config).toMatchObject({ steps: 3 });

    await blur();
    for (let back = 9; back >= 0; back--) {
      await page.keyboard.press('Control+z');
      await poll(() => exported(page)).toBe(versions[back]);
    }
    expect(await page.getByRole('button', { name: 'Undo' }).isDisabled()).toBe(true);
    expect(await page.locator('.sw-dirty').count()).toBe(0);
    for (let forward = 1; forward <= 10; forward++) {
      await page.keyboard.press('Control+Shift+z');
      await poll(() => exported(page)).toBe(versions[forward]);
    }
    expect(await page.getByRole('button', { name: 'Redo' }).isDisabled()).toBe(true);

    // the redone document is the one saved
    await page.keyboard.press('Control+s');
    await poll(() => page.locator('.sw-dirty').count()).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(versions[10]);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  it('imports a document file and exports the very same bytes', async () => {
    const { url } = await startServer({ uiDir: shared.ui.dir });
    const text = stringifyWorkflow({ ...three(), id: 'imported', name: 'Imported' } as unknown as WorkflowDocument);
    const { page, errors } = await openApp(shared.browser, url);
    await page.getByLabel('Import a workflow file').setInputFiles({
      name: 'imported.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text),
    });
    await poll(() => page.locator('.react-flow__node').count()).toBe(3);
    expect(await exported(page)).toBe(text);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
