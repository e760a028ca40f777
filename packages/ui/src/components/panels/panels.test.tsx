// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DataPage } from '../../api/types.js';
import { documentOf } from '../../test-kit/catalog.js';
import { DataPreview } from './DataPreview.js';
import { HistoryList } from './HistoryList.js';
import { IssuesPanel } from './IssuesPanel.js';
import { PlanView } from './PlanView.js';
import { displayKeys, ShortcutsHelp } from './ShortcutsHelp.js';

afterEach(cleanup);

// happy-dom does no layout: give the preview's scroll box the size a browser would (400 x 800)
for (const [name, size] of [
  ['clientHeight', 400],
  ['clientWidth', 800],
] as const) {
  const own = Object.getOwnPropertyDescriptor(HTMLElement.prototype, name);
  beforeAll(() => {
    Object.defineProperty(HTMLElement.prototype, name, {
      configurable: true,
      get(this: HTMLElement) {
        return this.classList.contains('sw-scroll') ? size : (own?.get?.call(this) ?? 0);
      },
    });
  });
  afterAll(() => {
    if (own) Object.defineProperty(HTMLElement.prototype, name, own);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name];
  });
}

function table(total: number) {
  return vi.fn(async (offset: number, limit: number): Promise<DataPage> => {
    const rows = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push([i, `name ${i}`]);
    return {
      columns: [
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'string' },
      ],
      rows,
      offset,
      total,
    };
  });
}

describe('the data preview', () => {
  it('shows column names and types and the row count, and draws only the rows in view', async () => {
    const loadPage = table(100_000);
    render(
      <DataPreview
        loadPage={loadPage}
        info={{ ref: 'ref_1', type: 'DataFrame', bytes: 2048, createdAt: '2026-01-01T00:00:00.000Z' }}
      />,
    );
    expect(await screen.findByText('DataFrame · 100,000 rows · 2.0 KB')).toBeTruthy();
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['id integer', 'name string']);
    expect(screen.getByText('name 0')).toBeTruthy();
    expect(document.querySelectorAll('tbody tr[aria-rowindex]').length).toBeLessThan(100);
    expect(loadPage).toHaveBeenCalledWith(0, 200);
  });

  it('asks for the page the scroll reaches', async () => {
    const loadPage = table(100_000);
    render(<DataPreview loadPage={loadPage} />);
    await screen.findByText('name 0');
    const scroller = document.querySelector('.sw-scroll') as HTMLElement;
    scroller.scrollTop = 26 * 50_000;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(loadPage.mock.calls.some(([offset]) => offset === 50_000 - (50_000 % 200))).toBe(true));
  });

  it('shows JSON data as JSON, and a failed load as its message', async () => {
    render(<DataPreview loadPage={async () => ({ columns: [], rows: [], offset: 0, json: { a: [1, 2] } })} />);
    expect((await screen.findByText(/"a": \[/)).textContent).toContain('1,');
    cleanup();
    render(<DataPreview loadPage={async () => Promise.reject(new Error('REF_NOT_FOUND: gone'))} />);
    expect(await screen.findByText('The preview could not be loaded: REF_NOT_FOUND: gone')).toBeTruthy();
  });
});

describe('the plan, history, issues and help panels', () => {
  it('shows per step whether it runs, is reused or comes from the cache, and why', () => {
    const onConfirm = vi.fn();
    render(
      <PlanView
        mode="run"
        onConfirm={onConfirm}
        onClose={() => {}}
        steps={[
          { id: 'load', type: 'read_rows', action: 'reuse', message: 'reuse', output: 'ref_1' },
          { id: 'clean', type: 'clean_nulls', action: 'run', message: 'run: config changed: threshold 0.25 → 0.5' },
        ]}
      />,
    );
    expect(screen.getByRole('heading').textContent).toBe('Run: 1 of 2 steps will run');
    expect(screen.getByText('config changed: threshold 0.25 → 0.5')).toBeTruthy();
    expect(screen.getByText('reuse')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });

  it('offers "Run every step again" for a run (not a resume) and reports its toggle', () => {
    const onFresh = vi.fn();
    const steps = [{ id: 'load', type: 'read_rows', action: 'reuse', message: 'reuse', output: 'ref_1' }] as const;
    const { rerender } = render(
      <PlanView mode="run" steps={steps} onFresh={onFresh} onConfirm={() => {}} onClose={() => {}} />,
    );
    const choice = screen.getByRole('checkbox', { name: /Run every step again/ }) as HTMLInputElement;
    expect(choice.checked).toBe(false);
    fireEvent.click(choice);
    expect(onFresh).toHaveBeenCalledWith(true);
    rerender(<PlanView mode="resume" steps={steps} onFresh={onFresh} onConfirm={() => {}} onClose={() => {}} />);
    expect(screen.queryByRole('checkbox')).toBeNull();
  });

  it('lists runs with status and duration, and opens one on click', () => {
    const onOpen = vi.fn();
    render(
      <HistoryList
        runs={[
          { id: 'run_2', workflowId: 'w', status: 'running', startedAt: 2000 },
          { id: 'run_1', workflowId: 'w', status: 'failed', startedAt: 1000, endedAt: 2500 },
        ]}
        onOpen={onOpen}
      />,
    );
    expect(screen.getByText('1.5 s')).toBeTruthy();
    expect(screen.getByText('…')).toBeTruthy();
    fireEvent.click(screen.getByText('failed'));
    expect(onOpen).toHaveBeenCalledWith('run_1');
  });

  it('lists issues by step and field and reports a click with the location', () => {
    const onLocate = vi.fn();
    const doc = documentOf([{ id: 'load', type: 'read_rows', config: {} }]);
    const issue = { code: 'CONFIG_INVALID', path: ['steps', 0, 'config', 'path'], message: 'Missing path.' };
    render(<IssuesPanel issues={[issue]} validated={doc} onLocate={onLocate} />);
    fireEvent.click(screen.getByText('Missing path.'));
    expect(screen.getByText('load › config › path')).toBeTruthy();
    expect(onLocate).toHaveBeenCalledWith({ kind: 'step', stepId: 'load', section: 'config', field: ['path'] }, issue);
  });

  it('lists every shortcut with the keys of this machine', () => {
    render(<ShortcutsHelp onClose={() => {}} />);
    expect(screen.getAllByRole('row').length).toBeGreaterThan(10);
    expect(displayKeys('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
    expect(displayKeys('Mod+Z', true)).toBe('⌘+Z');
  });
});
