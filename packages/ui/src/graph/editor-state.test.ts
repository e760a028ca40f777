import { type StepTypeInfo, stringifyWorkflow } from '@stepwise/core/model';
import { describe, expect, it } from 'vitest';
import { chain, testIndex } from '../test-kit/catalog.js';
import { appendStep, type EditorState, openDocument, reduceEditor } from './editor-state.js';
import { HISTORY_LIMIT } from './history.js';

const catalog = testIndex();
const clean = catalog.bySlug.get('clean_nulls') as StepTypeInfo;

describe('the editor state', () => {
  it('undoes and redoes ten edits, each back to the exact bytes it had', () => {
    let state: EditorState = openDocument(chain(2));
    const texts = [stringifyWorkflow(state.history.document)];
    for (let i = 0; i < 10; i++) {
      state = reduceEditor(
        state,
        { type: 'edit', edit: { kind: 'move', positions: { load: { x: i, y: i } } } },
        catalog,
      );
      texts.push(stringifyWorkflow(state.history.document));
    }
    for (let i = 9; i >= 0; i--) {
      state = reduceEditor(state, { type: 'undo' }, catalog);
      expect(stringifyWorkflow(state.history.document)).toBe(texts[i]);
    }
    expect(reduceEditor(state, { type: 'undo' }, catalog)).toBe(state);
    for (let i = 1; i <= 10; i++) {
      state = reduceEditor(state, { type: 'redo' }, catalog);
      expect(stringifyWorkflow(state.history.document)).toBe(texts[i]);
    }
  });

  it('records nothing for an edit that changes nothing, and a new edit clears the redo stack', () => {
    let state = openDocument(chain(2));
    const same = reduceEditor(
      state,
      { type: 'edit', edit: { kind: 'connect', connection: { source: 'load', target: 'clean_1', input: 'input' } } },
      catalog,
    );
    expect(same.history.past).toHaveLength(0);
    state = reduceEditor(state, { type: 'edit', edit: { kind: 'setWorkflow', name: 'A' } }, catalog);
    state = reduceEditor(state, { type: 'undo' }, catalog);
    expect(state.history.future).toHaveLength(1);
    state = reduceEditor(state, { type: 'edit', edit: { kind: 'setWorkflow', name: 'B' } }, catalog);
    expect(state.history.future).toHaveLength(0);
  });

  it(`keeps at most ${HISTORY_LIMIT} edits to undo`, () => {
    let state = openDocument(chain(1));
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) {
      state = reduceEditor(state, { type: 'edit', edit: { kind: 'setWorkflow', name: `n${i}` } }, catalog);
    }
    expect(state.history.past).toHaveLength(HISTORY_LIMIT);
  });

  it('appends a palette step after the last selected step in run order, selects it, and Enter twice chains', () => {
    let state = reduceEditor(openDocument(chain(3)), { type: 'select', ids: ['clean_2', 'load'] }, catalog);
    state = reduceEditor(state, appendStep(state, clean), catalog);
    expect(state.history.document.steps.map((step) => step.id)).toEqual(['load', 'clean_1', 'clean_2', 'clean_nulls']);
    expect([...state.selection]).toEqual(['clean_nulls']);
    state = reduceEditor(state, appendStep(state, clean, { x: 5, y: 5 }), catalog);
    expect(state.history.document.steps.at(-1)).toEqual({ id: 'clean_nulls_2', type: 'clean_nulls', config: {} });
    expect(state.history.document.ui).toEqual({ positions: { clean_nulls_2: { x: 5, y: 5 } } });
  });

  it('selects, adds to and toggles the selection, and drops removed steps from it (also on undo)', () => {
    let state = reduceEditor(openDocument(chain(3)), { type: 'select', ids: ['load'] }, catalog);
    state = reduceEditor(state, { type: 'select', ids: ['clean_1'], mode: 'add' }, catalog);
    state = reduceEditor(state, { type: 'select', ids: ['load', 'clean_2'], mode: 'toggle' }, catalog);
    expect([...state.selection].sort()).toEqual(['clean_1', 'clean_2']);
    state = reduceEditor(state, { type: 'edit', edit: { kind: 'remove', ids: ['clean_1'] } }, catalog);
    expect([...state.selection]).toEqual(['clean_2']);
  });
});

describe('merged edits', () => {
  it('typing into one field is one undo step; another field starts a new one', () => {
    let state = openDocument(chain(2));
    for (const threshold of [0.1, 0.2, 0.3]) {
      const edit = { kind: 'setConfig', id: 'clean_1', config: { threshold } } as const;
      state = reduceEditor(state, { type: 'edit', edit, merge: 'clean_1:config:threshold' }, catalog);
    }
    state = reduceEditor(state, { type: 'edit', edit: { kind: 'setWorkflow', name: 'x' }, merge: 'name' }, catalog);
    expect(state.history.past).toHaveLength(2);
    state = reduceEditor(state, { type: 'undo' }, catalog);
    expect(state.history.document.steps[1]?.config).toEqual({ threshold: 0.3 });
    state = reduceEditor(state, { type: 'undo' }, catalog);
    expect(state.history.document.steps[1]?.config).toEqual({ threshold: 0.5 });
  });
});
