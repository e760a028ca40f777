// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testCatalog } from '../../test-kit/catalog.js';
import { Palette } from './Palette.js';
import { searchPalette, signatureOf } from './palette-search.js';

const { stepTypes } = testCatalog();
afterEach(cleanup);

describe('the palette', () => {
  it('groups the catalog by category and shows what each step reads and gives', () => {
    render(<Palette stepTypes={stepTypes} onAppend={() => {}} />);
    const headings = screen.getAllByRole('heading').map((h) => h.textContent);
    expect(headings).toEqual(['cleaning', 'combine', 'io', 'other', 'rows']);
    expect(screen.getByText('JSON, right: JSON → JSON')).toBeTruthy();
    expect(screen.getAllByText('source → JSON')).toHaveLength(1);
  });

  it('searches names, slugs, descriptions and tags, every word', () => {
    const found = (query: string) => searchPalette(stepTypes, query).flatMap((g) => g.entries.map((e) => e.slug));
    expect(found('merge')).toEqual(['join']);
    expect(found('file source')).toEqual(['read_rows']);
    expect(found('READ_T')).toEqual(['read_text']);
    expect(found('expression')).toEqual(['filter']);
    expect(found('nothing like this')).toEqual([]);
    expect(signatureOf(stepTypes.find((info) => info.slug === 'read_text') as never)).toBe('source → Text');
  });

  it('adds the highlighted match with Enter; the arrow keys move the highlight', () => {
    const onAppend = vi.fn();
    render(<Palette stepTypes={stepTypes} onAppend={onAppend} />);
    const search = screen.getByRole('searchbox');
    fireEvent.change(search, { target: { value: 'read' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(onAppend.mock.calls.map(([info]) => info.slug)).toEqual(['read_rows', 'read_text']);
    fireEvent.change(search, { target: { value: 'zzz' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(onAppend).toHaveBeenCalledTimes(2);
    expect(screen.getByText('No step type matches "zzz".')).toBeTruthy();
  });

  it('makes every entry draggable with its slug', () => {
    render(<Palette stepTypes={stepTypes} onAppend={() => {}} />);
    const entry = document.querySelector('[data-slug="join"]') as HTMLElement;
    expect(entry.getAttribute('draggable')).toBe('true');
    const data = new Map<string, string>();
    fireEvent.dragStart(entry, { dataTransfer: { setData: (type: string, value: string) => data.set(type, value) } });
    expect([...data]).toEqual([['application/x-stepwise-step', 'join']]);
  });
});
