import { stringifyWorkflow, type WorkflowDocument } from '@stepwise/core/model';

/** The text a workflow is exported as: core's canonical text (byte-stable), or 2-space JSON when it is not a valid shape. */
export function documentText(document: WorkflowDocument): string {
  try {
    return stringifyWorkflow(document);
  } catch {
    return `${JSON.stringify(document, null, 2)}\n`;
  }
}

/** Whether the edited document differs from the saved one (compared as canonical text, so key order does not count). */
export function isDirty(edited: WorkflowDocument, saved: WorkflowDocument): boolean {
  return edited !== saved && documentText(edited) !== documentText(saved);
}

/**
 * The document in an imported file's text.
 * @returns the document, or a sentence saying why the text is not one
 */
export function readDocumentText(text: string): WorkflowDocument | string {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return `The file is not JSON: ${(error as Error).message}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return 'The file is not a workflow document (a JSON object with format "stepwise.workflow").';
  const id = (value as { id?: unknown }).id;
  if (typeof id !== 'string' || id === '') return 'The document has no "id": a workflow is saved under its id.';
  return value as WorkflowDocument;
}

/** The next free id for a copy of `id` among `taken`: `id-copy`, `id-copy-2`... */
export function copyId(id: string, taken: readonly string[]): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${id}-copy` : `${id}-copy-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** Offers `blob` as a file download named `name`. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = globalThis.document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // the browser fetches the blob after the click returns: on a busy machine that can be seconds later,
  // and a revoked URL gives no download at all, so the URL lives a minute
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Offers `text` as a file download named `name` (the export). */
export function downloadText(name: string, text: string): void {
  downloadBlob(name, new Blob([text], { type: 'application/json' }));
}
