import type { StepTypeInfo, WorkflowDocument } from '@stepwise/core/model';
import type { CatalogIndex } from './catalog.js';
import { copySteps, preparePaste, readClipboard } from './clipboard.js';
import { applyEdit, type Edit } from './edits.js';
import { type History, record, redo, startHistory, undo } from './history.js';
import type { XY } from './positions.js';
import { freeId, stepIds } from './step-ids.js';

/** What the editor holds: the document with its history, and the selected steps. */
export interface EditorState {
  readonly history: History;
  readonly selection: ReadonlySet<string>;
}

/** Everything that changes an {@link EditorState}. */
export type EditorAction =
  /**
   * An edit; `select` replaces the selection afterwards (the steps an add or paste made); edits in a
   * row with the same `merge` key are one undo step (typing into one form field).
   */
  | { type: 'edit'; edit: Edit; select?: readonly string[]; merge?: string }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'select'; ids: readonly string[]; mode?: 'replace' | 'add' | 'toggle' }
  /** A document opened or reloaded: a fresh history. */
  | { type: 'load'; document: WorkflowDocument };

/** The state of a freshly opened document. */
export function openDocument(document: WorkflowDocument): EditorState {
  return { history: startHistory(document), selection: new Set() };
}

/**
 * The editor's reducer: every edit recorded for undo, the selection kept to steps that exist.
 * @throws Error when an edit is misused (see `applyEdit`).
 */
export function reduceEditor(state: EditorState, action: EditorAction, catalog: CatalogIndex): EditorState {
  switch (action.type) {
    case 'edit': {
      const history = record(state.history, applyEdit(state.history.document, action.edit, catalog), action.merge);
      const selection = action.select ? new Set(action.select) : state.selection;
      return keepSelection({ history, selection });
    }
    case 'undo':
    case 'redo': {
      const history = action.type === 'undo' ? undo(state.history) : redo(state.history);
      return history === state.history ? state : keepSelection({ ...state, history });
    }
    case 'select':
      return { ...state, selection: selected(state.selection, action.ids, action.mode ?? 'replace') };
    case 'load':
      return openDocument(action.document);
  }
}

function selected(current: ReadonlySet<string>, ids: readonly string[], mode: 'replace' | 'add' | 'toggle') {
  if (mode === 'replace') return new Set(ids);
  const next = new Set(current);
  for (const id of ids) {
    if (mode === 'toggle' && next.has(id)) next.delete(id);
    else next.add(id);
  }
  return next;
}

function keepSelection(state: EditorState): EditorState {
  const ids = stepIds(state.history.document);
  if ([...state.selection].every((id) => ids.has(id))) return state;
  return { ...state, selection: new Set([...state.selection].filter((id) => ids.has(id))) };
}

/**
 * The action that adds a step of type `info` after the last selected step in run order (or at the
 * end), placed right of it, and selects it: what Enter in the palette does.
 */
export function appendStep(state: EditorState, info: StepTypeInfo, position?: XY): EditorAction {
  const document = state.history.document;
  const id = freeId(info.slug, stepIds(document));
  const after = document.steps.findLast((step) => state.selection.has(step.id))?.id;
  const step = { id, type: info.slug, config: {} };
  const edit: Edit =
    after === undefined ? { kind: 'addSteps', steps: [step] } : { kind: 'addSteps', steps: [step], after };
  return { type: 'edit', edit: position ? { ...edit, positions: { [id]: position } } : edit, select: [id] };
}

/** The action that pastes clipboard text (a workflow document), or a sentence saying why it cannot. */
export function pasteText(state: EditorState, text: string, catalog: CatalogIndex, offset?: XY): EditorAction | string {
  const clip = readClipboard(text);
  if (typeof clip === 'string') return clip;
  if (clip.steps.length === 0) return 'The clipboard holds no steps.';
  const { steps, positions } = preparePaste(state.history.document, clip, catalog, offset);
  return { type: 'edit', edit: { kind: 'addSteps', steps, positions }, select: steps.map((step) => step.id) };
}

/** The action that duplicates the selected steps (copy and paste in one edit), or undefined. */
export function duplicateSelection(state: EditorState, catalog: CatalogIndex): EditorAction | undefined {
  if (state.selection.size === 0) return undefined;
  const action = pasteText(state, copySelection(state, catalog), catalog);
  return typeof action === 'string' ? undefined : action;
}

/** The clipboard text of the selected steps. */
export function copySelection(state: EditorState, catalog: CatalogIndex): string {
  return copySteps(state.history.document, state.selection, catalog);
}
