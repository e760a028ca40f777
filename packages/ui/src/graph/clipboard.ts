import {
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  type InputReference,
  isPlainObject,
  type JsonObject,
  type StepDocument,
  stringifyWorkflow,
  type WorkflowDocument,
  WorkflowValidationError,
} from '@stepwise/core/model';
import type { CatalogIndex } from './catalog.js';
import { inputsOf } from './document-graph.js';
import { savedPositions, type XY } from './positions.js';
import { freeId, stepIds } from './step-ids.js';

/**
 * The clipboard text of some steps: a workflow document holding just those steps, each with its
 * inputs written out (so the copy says what it read), and their positions. Any workflow document
 * pastes the same way, so steps travel between workflows and from files.
 */
export function copySteps(document: WorkflowDocument, ids: ReadonlySet<string>, catalog: CatalogIndex): string {
  const steps: StepDocument[] = [];
  const positions: JsonObject = {};
  const saved = savedPositions(document);
  document.steps.forEach((step, index) => {
    if (!ids.has(step.id)) return;
    steps.push({ ...step, inputs: inputsOf(document, index, catalog) });
    const position = saved.get(step.id);
    if (position) positions[step.id] = { x: position.x, y: position.y };
  });
  const clip: WorkflowDocument = {
    format: DOCUMENT_FORMAT,
    version: DOCUMENT_VERSION,
    id: document.id,
    name: '',
    description: '',
    inputs: {},
    steps,
    outputs: {},
    ui: { positions },
  };
  return stringifyWorkflow(clip);
}

/** What pasting adds: the steps with fresh ids and their positions. */
export interface Paste {
  steps: StepDocument[];
  positions: Record<string, XY>;
}

/**
 * Reads clipboard text as a workflow document (checked for shape as core checks any document: a
 * hostile or broken text is refused, never half-pasted).
 * @returns the document, or a sentence saying why the text is not one.
 */
export function readClipboard(text: string): WorkflowDocument | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'The clipboard does not hold a workflow document (it is not JSON).';
  }
  if (!isPlainObject(raw) || raw.format !== DOCUMENT_FORMAT) {
    return 'The clipboard does not hold a workflow document (no "format": "stepwise.workflow").';
  }
  try {
    return JSON.parse(stringifyWorkflow(raw as unknown as WorkflowDocument)) as WorkflowDocument;
  } catch (error) {
    if (!(error instanceof WorkflowValidationError)) throw error;
    const first = error.issues[0];
    return `The clipboard's steps are not valid: ${first?.pathText || '(root)'}: ${first?.message ?? error.message}`;
  }
}

/**
 * The steps of `clip` ready to add to `target`: ids made free (`load` -> `load_2`), references
 * among the pasted steps following the new ids, references to steps or workflow inputs the target
 * does not have dropped (the input is then left to connect), positions moved by `offset`.
 */
export function preparePaste(
  target: WorkflowDocument,
  clip: WorkflowDocument,
  catalog: CatalogIndex,
  offset: XY = { x: 40, y: 40 },
): Paste {
  const taken = stepIds(target);
  const renamed = new Map<string, string>();
  for (const step of clip.steps) {
    const id = freeId(step.id, taken);
    taken.add(id);
    renamed.set(step.id, id);
  }
  const existing = stepIds(target);
  const follow = (reference: InputReference): InputReference | undefined => {
    if ('step' in reference) {
      const id = renamed.get(reference.step);
      if (id !== undefined) return { step: id };
      return existing.has(reference.step) ? reference : undefined;
    }
    if ('input' in reference) return Object.hasOwn(target.inputs, reference.input) ? reference : undefined;
    return reference;
  };
  const saved = savedPositions(clip);
  const positions: Record<string, XY> = {};
  const steps = clip.steps.map((step, index) => {
    const id = renamed.get(step.id) as string;
    const inputs: Record<string, InputReference> = {};
    for (const [name, reference] of Object.entries(inputsOf(clip, index, catalog))) {
      const kept = follow(reference);
      if (kept) inputs[name] = kept;
    }
    const position = saved.get(step.id);
    if (position) positions[id] = { x: position.x + offset.x, y: position.y + offset.y };
    return { ...step, id, inputs };
  });
  return { steps, positions };
}
