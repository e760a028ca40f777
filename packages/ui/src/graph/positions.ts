import { isPlainObject, type JsonObject, type WorkflowDocument } from '@stepwise/core/model';

/** A point on the canvas. */
export interface XY {
  x: number;
  y: number;
}

/** The saved canvas positions (`ui.positions`), by step id; entries that are not points are ignored. */
export function savedPositions(document: { readonly ui?: JsonObject | undefined }): Map<string, XY> {
  const found = new Map<string, XY>();
  const positions = document.ui?.positions;
  if (!isPlainObject(positions)) return found;
  for (const [id, value] of Object.entries(positions)) {
    if (isPlainObject(value) && Number.isFinite(value.x) && Number.isFinite(value.y)) {
      found.set(id, { x: value.x as number, y: value.y as number });
    }
  }
  return found;
}

/**
 * The document with `ui.positions` changed: `set` entries written (rounded to whole pixels, so the
 * file does not fill with float noise), `drop` ids removed. Every other `ui` field is kept.
 */
export function withPositions(
  document: WorkflowDocument,
  set: ReadonlyMap<string, XY>,
  drop: Iterable<string> = [],
): WorkflowDocument {
  const current = isPlainObject(document.ui?.positions) ? (document.ui?.positions as JsonObject) : {};
  const next: JsonObject = { ...current };
  for (const id of drop) delete next[id];
  for (const [id, { x, y }] of set) next[id] = { x: Math.round(x), y: Math.round(y) };
  const ui: JsonObject = { ...(document.ui ?? {}) };
  if (Object.keys(next).length > 0) ui.positions = next;
  else delete ui.positions;
  const result = { ...document };
  if (Object.keys(ui).length > 0) result.ui = ui;
  else delete result.ui;
  return result;
}
