// @vitest-environment happy-dom
import type { WorkflowDocument } from '@stepwise/core/model';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EditorAction } from '../../graph/editor-state.js';
import { documentOf, testIndex } from '../../test-kit/catalog.js';
import { fieldId, StepPanel } from './StepPanel.js';

const catalog = testIndex();
afterEach(cleanup);

const doc: WorkflowDocument = documentOf([
  { id: 'load', type: 'read_rows', config: { path: 'rows.json' } },
  { id: 'clean', type: 'clean_nulls', config: { threshold: 0.5 } },
  { id: 'keep', type: 'filter', config: { where: 'd.a > 1', columns: ['a'] } },
]);

function panel(stepId: string, extra: Partial<Parameters<typeof StepPanel>[0]> = {}) {
  const dispatch = vi.fn<(action: EditorAction) => void>();
  render(<StepPanel document={doc} stepId={stepId} catalog={catalog} dispatch={dispatch} {...extra} />);
  return dispatch;
}

describe('the step panel', () => {
  it('generates the form from the params schema, with the description as help, and changes nothing on its own', () => {
    const dispatch = panel('clean');
    const input = document.getElementById(fieldId('config', 'clean', ['threshold'])) as HTMLInputElement;
    expect(input.value).toBe('0.5');
    expect(screen.getByText('Largest share of nulls.')).toBeTruthy();
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('shows the defaults of a new step without writing them into the document until a field is changed', () => {
    const fresh = documentOf([{ id: 'new', type: 'clean_nulls', config: {} }]);
    const dispatch = vi.fn();
    render(<StepPanel document={fresh} stepId="new" catalog={catalog} dispatch={dispatch} />);
    expect((document.getElementById(fieldId('config', 'new', ['threshold'])) as HTMLInputElement).value).toBe('0.5');
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('turns a change into a setConfig edit that merges with the next change of the same field', () => {
    const dispatch = panel('clean');
    const input = document.getElementById(fieldId('config', 'clean', ['threshold'])) as HTMLInputElement;
    fireEvent.change(input, { target: { value: '0.25' } });
    const action = dispatch.mock.calls.at(-1)?.[0];
    expect(action).toMatchObject({
      type: 'edit',
      edit: { kind: 'setConfig', id: 'clean', config: { threshold: 0.25 } },
    });
    expect(action && 'merge' in action && action.merge).toContain('config:clean:');
  });

  it("shows the server's issue inline at the field its array path names", () => {
    const issue = {
      code: 'CONFIG_INVALID',
      path: ['steps', 1, 'config', 'threshold'],
      message: 'Too big: expected <= 1.',
    };
    panel('clean', { validated: { issues: [issue], document: doc } });
    const input = document.getElementById(fieldId('config', 'clean', ['threshold'])) as HTMLElement;
    const field = input.closest('.form-group') as HTMLElement;
    expect(field.textContent).toContain('Too big: expected <= 1.');
  });

  it('shows the schema validation errors live, before the server answers', () => {
    panel('clean');
    const input = document.getElementById(fieldId('config', 'clean', ['threshold'])) as HTMLInputElement;
    fireEvent.change(input, { target: { value: '7' } });
    expect(document.body.textContent).toMatch(/must be <= 1/);
  });

  it('offers the inferred input columns and flags a column the input does not have', () => {
    panel('keep', { context: { columns: ['a', 'b'] } });
    const options = [...document.querySelectorAll('datalist option')].map((o) => o.getAttribute('value'));
    expect(options).toEqual(['b']);
    cleanup();
    const other = {
      ...doc,
      steps: doc.steps.map((s) => (s.id === 'keep' ? { ...s, config: { where: 'x', columns: ['zz'] } } : s)),
    };
    render(
      <StepPanel document={other} stepId="keep" catalog={catalog} dispatch={() => {}} context={{ columns: ['a'] }} />,
    );
    expect(document.querySelector('.sw-chip-unknown')?.getAttribute('title')).toBe(
      'The input has no column "zz"; its columns: a.',
    );
  });

  it('checks an expression as it is typed, through the checker it is given', async () => {
    const checkExpression = vi.fn(async (text: string) => (text.includes('>>') ? 'Unexpected token ">"' : undefined));
    const other = {
      ...doc,
      steps: doc.steps.map((s) => (s.id === 'keep' ? { ...s, config: { where: 'd.a >> 1' } } : s)),
    };
    render(
      <StepPanel document={other} stepId="keep" catalog={catalog} dispatch={() => {}} context={{ checkExpression }} />,
    );
    expect(await screen.findByText('Unexpected token ">"', {}, { timeout: 2000 })).toBeTruthy();
    expect(checkExpression).toHaveBeenCalledWith('d.a >> 1');
  });

  it('warns about a path that leaves the data root', () => {
    const other = {
      ...doc,
      steps: doc.steps.map((s) => (s.id === 'load' ? { ...s, config: { path: '../secret.csv' } } : s)),
    };
    render(<StepPanel document={other} stepId="load" catalog={catalog} dispatch={() => {}} />);
    expect(screen.getByText('A path cannot leave the data root ("..").')).toBeTruthy();
  });

  it('renames on Enter, refusing a taken id with the reason', () => {
    const dispatch = panel('clean');
    const id = screen.getByLabelText('Step id') as HTMLInputElement;
    fireEvent.change(id, { target: { value: 'load' } });
    expect(screen.getByText('There is already a step "load".')).toBeTruthy();
    fireEvent.keyDown(id, { key: 'Enter' });
    expect(dispatch).not.toHaveBeenCalled();
    fireEvent.change(id, { target: { value: 'tidy' } });
    fireEvent.keyDown(id, { key: 'Enter' });
    expect(dispatch).toHaveBeenCalledWith({
      type: 'edit',
      edit: { kind: 'rename', from: 'clean', to: 'tidy' },
      select: ['tidy'],
    });
  });

  it('edits the strategy with the form made from the document schema', () => {
    const dispatch = panel('clean');
    const retries = document.getElementById(fieldId('strategy', 'clean', ['retries'])) as HTMLInputElement;
    fireEvent.change(retries, { target: { value: '3' } });
    expect(dispatch.mock.calls.at(-1)?.[0]).toMatchObject({
      edit: { kind: 'setStrategy', id: 'clean', strategy: { retries: 3 } },
    });
  });

  it('lists the inputs with what each reads', () => {
    panel('clean');
    expect(screen.getByText(/step load/)).toBeTruthy();
  });
});
