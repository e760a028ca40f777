import { stringifyWorkflow, validateDocument, type WorkflowDocument } from '@stepwise/core/model';
import { describe, expect, it } from 'vitest';
import salesText from '../../../core/src/document/fixtures/sales.workflow.json?raw';
import { documentOf, testIndex, testRegistry } from '../test-kit/catalog.js';
import { copySteps, preparePaste, readClipboard } from './clipboard.js';
import { duplicateSelection, openDocument, pasteText, reduceEditor } from './editor-state.js';

const catalog = testIndex();
const registry = testRegistry();
const sales = JSON.parse(salesText) as WorkflowDocument;

describe('copy and paste', () => {
  it('copies steps as a workflow document with their inputs written out and their positions', () => {
    const text = copySteps(sales, new Set(['load', 'clean']), catalog);
    const clip = readClipboard(text) as WorkflowDocument;
    expect(clip.steps.map((step) => [step.id, step.inputs])).toEqual([
      ['load', {}],
      ['clean', { input: { step: 'load' } }],
    ]);
    expect(clip.ui).toEqual({ positions: { load: { x: 0, y: 0 } } });
    expect(stringifyWorkflow(clip)).toBe(text);
  });

  it('pastes into another workflow: fresh ids, inner references renamed, outside references dropped', () => {
    const clip = readClipboard(copySteps(sales, new Set(['clean', 'score', 'joined']), catalog)) as WorkflowDocument;
    const target = documentOf([{ id: 'read', type: 'read_rows', config: { path: 'x' } }]);
    const paste = preparePaste(target, clip, catalog);
    expect(paste.steps.map((step) => [step.id, step.inputs])).toEqual([
      ['clean', {}],
      ['score', { input: { step: 'clean' } }],
      ['joined', { input: { step: 'score' } }],
    ]);
    const into = preparePaste(sales, clip, catalog, { x: 10, y: 10 });
    expect(into.steps.map((step) => [step.id, step.inputs])).toEqual([
      ['clean_2', { input: { step: 'load' } }],
      ['score_2', { input: { step: 'clean_2' } }],
      ['joined_2', { input: { step: 'score_2' }, right: { input: 'customers' } }],
    ]);
  });

  it('duplicates the selection in one undoable edit and selects the copies', () => {
    let state = reduceEditor(openDocument(sales), { type: 'select', ids: ['load', 'clean'] }, catalog);
    const action = duplicateSelection(state, catalog);
    if (!action) throw new Error('expected an action');
    state = reduceEditor(state, action, catalog);
    expect([...state.selection]).toEqual(['load_2', 'clean_2']);
    expect(state.history.document.steps.map((step) => step.id)).toEqual([
      'load',
      'clean',
      'score',
      'joined',
      'load_2',
      'clean_2',
    ]);
    expect(state.history.document.ui?.positions).toMatchObject({ load_2: { x: 40, y: 40 } });
    expect(validateDocument(state.history.document, registry)).toEqual([]);
    state = reduceEditor(state, { type: 'undo' }, catalog);
    expect(stringifyWorkflow(state.history.document)).toBe(salesText);
    expect(state.selection.size).toBe(0);
  });

  it('refuses clipboard text that is not a sound workflow document, and pastes nothing', () => {
    const state = openDocument(sales);
    expect(pasteText(state, 'hello', catalog)).toBe(
      'The clipboard does not hold a workflow document (it is not JSON).',
    );
    expect(pasteText(state, '{"a":1}', catalog)).toMatch(/no "format"/);
    const hostile = JSON.stringify({
      ...documentOf([{ id: 'x', type: 'clean_nulls', config: { ['__proto__']: { polluted: true } } }]),
    }).replace('"config":{}', '"config":{"__proto__":{"polluted":true}}');
    expect(pasteText(state, hostile, catalog)).toMatch(/^The clipboard's steps are not valid: steps\[0\]\.config/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(pasteText(state, JSON.stringify(documentOf([])), catalog)).toBe('The clipboard holds no steps.');
  });
});
