import type { WorkflowDocument } from '@stepwise/core/model';

/**
 * The document with its undo and redo stacks. Documents are immutable values that share unchanged
 * steps, so keeping one per edit costs a step list each, not a copy of the workflow.
 */
export interface History {
  readonly document: WorkflowDocument;
  /** Earlier documents, the most recent last. */
  readonly past: readonly WorkflowDocument[];
  /** Undone documents, the next to redo last. */
  readonly future: readonly WorkflowDocument[];
  /** The merge key of the last recorded edit, while the next one may still merge into it. */
  readonly mergeKey?: string;
}

/** How many edits can be undone. */
export const HISTORY_LIMIT = 500;

/** A history that starts at `document`. */
export function startHistory(document: WorkflowDocument): History {
  return { document, past: [], future: [] };
}

/**
 * Records `next` as the result of an edit; an edit that changed nothing records nothing. Edits with
 * the same `mergeKey` in a row (typing into one form field) make one undo step.
 */
export function record(history: History, next: WorkflowDocument, mergeKey?: string): History {
  if (next === history.document) return history;
  if (mergeKey !== undefined && mergeKey === history.mergeKey && history.past.length > 0) {
    return { document: next, past: history.past, future: [], mergeKey };
  }
  const past = [...history.past, history.document];
  if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
  return mergeKey === undefined ? { document: next, past, future: [] } : { document: next, past, future: [], mergeKey };
}

/** One edit back; the same history when there is nothing to undo. */
export function undo(history: History): History {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return { document: previous, past: history.past.slice(0, -1), future: [...history.future, history.document] };
}

/** One undone edit again; the same history when there is nothing to redo. */
export function redo(history: History): History {
  const next = history.future.at(-1);
  if (next === undefined) return history;
  return { document: next, past: [...history.past, history.document], future: history.future.slice(0, -1) };
}
