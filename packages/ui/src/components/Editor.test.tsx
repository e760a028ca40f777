// @vitest-environment happy-dom
import { stringifyWorkflow, type WorkflowDocument } from '@stepwise/core/model';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { copySteps } from '../graph/clipboard.js';
import { chain, testIndex } from '../test-kit/catalog.js';
import { Editor } from './Editor.js';
import { fieldId } from './panels/StepPanel.js';

const catalog = testIndex();
afterEach(cleanup);

function open(document: WorkflowDocument, extra: Partial<Parameters<typeof Editor>[0]> = {}) {
  const seen: WorkflowDocument[] = [];
  const onChange = vi.fn((doc: WorkflowDocument) => seen.push(doc));
  render(<Editor catalog={catalog} document={document} onChange={onChange} {...extra} />);
  return seen;
}

const key = (key: string, mods: Record<string, boolean> = {}) =>
  act(() => void fireEvent.keyDown(window, { key, ...mods }));

describe('the editor', () => {
  it('adds a step from the palette with Enter after the selection, and undoes and redoes it with the keys', () => {
    const start = chain(2);
    const seen = open(start);
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'clean' } });
    fireEvent.keyDown(screen.getByRole('searchbox'), { key: 'Enter' });
    expect(seen.at(-1)?.steps.map((step) => step.id)).toEqual(['load', 'clean_1', 'clean_nulls']);
    key('z', { ctrlKey: true });
    expect(stringifyWorkflow(seen.at(-1) as WorkflowDocument)).toBe(stringifyWorkflow(start));
    key('Z', { ctrlKey: true, shiftKey: true });
    expect(seen.at(-1)?.steps).toHaveLength(3);
  });

  it('takes a click on an issue to its step and field', () => {
    const start = chain(2);
    const issue = { code: 'CONFIG_INVALID', path: ['steps', 1, 'config', 'threshold'], message: 'Too big.' };
    open(start, { validated: { issues: [issue], document: start } });
    fireEvent.click(screen.getByRole('tab', { name: 'issues (1)' }));
    fireEvent.click(screen.getByText('Too big.'));
    const input = document.getElementById(fieldId('config', 'clean_1', ['threshold']));
    expect(input).toBeTruthy();
    expect(document.activeElement).toBe(input);
  });

  it('pastes steps copied from another workflow, and refuses text that is not a workflow document', () => {
    const seen = open(chain(2));
    const other = chain(3);
    const text = copySteps(other, new Set(['clean_2']), catalog);
    const paste = (data: string) =>
      act(() => {
        const event = new Event('paste', { bubbles: true }) as Event & { clipboardData: unknown };
        event.clipboardData = { getData: () => data };
        window.dispatchEvent(event);
      });
    paste(text);
    expect(seen.at(-1)?.steps.map((step) => [step.id, step.inputs])).toEqual([
      ['load', undefined],
      ['clean_1', undefined],
      ['clean_2', { input: { step: 'clean_1' } }],
    ]);
    paste('not json');
    expect(screen.getByText('The clipboard does not hold a workflow document (it is not JSON).')).toBeTruthy();
  });

  it('opens the shortcuts help with ? and closes it with Escape', () => {
    open(chain(1));
    key('?', { shiftKey: true });
    expect(screen.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeTruthy();
    key('Escape');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
