import type { InputReference, JsonObject, StepDocument, StepStrategy, WorkflowDocument } from '@stepwise/core/model';
import { type CatalogIndex, takesInput } from './catalog.js';
import type { Connection } from './connection.js';
import { inputsOf } from './document-graph.js';
import { dependencies, runOrder, withSteps } from './order.js';
import { savedPositions, withPositions, type XY } from './positions.js';
import { renameProblem } from './step-ids.js';

/**
 * Every change the editor makes to a document, as data (like xyflow's change objects): applied by
 * {@link applyEdit}, recorded for undo, and easy to test without a browser.
 */
export type Edit =
  /** New steps (a palette entry, a paste), after step `after` in the run order, or at the end. */
  | { kind: 'addSteps'; steps: readonly StepDocument[]; positions?: Readonly<Record<string, XY>>; after?: string }
  /** A new step spliced into an existing connection: `edge.source` -> step -> `edge.target`. */
  | { kind: 'insertOnEdge'; step: StepDocument; edge: Connection; position?: XY }
  | { kind: 'remove'; ids: readonly string[] }
  | { kind: 'move'; positions: Readonly<Record<string, XY>> }
  | { kind: 'connect'; connection: Connection }
  | { kind: 'disconnect'; target: string; input: string }
  | { kind: 'setConfig'; id: string; config: JsonObject }
  /** `undefined` (or `{}`) removes the strategy. */
  | { kind: 'setStrategy'; id: string; strategy: StepStrategy | undefined }
  | { kind: 'rename'; from: string; to: string }
  | { kind: 'setWorkflow'; name?: string; description?: string }
  /** Several edits as one (one undo step), applied in order: a delete of steps and connections. */
  | { kind: 'batch'; edits: readonly Edit[] };

/**
 * The document after one edit; the input is never changed (unchanged steps are shared). Connections
 * are kept through reorders (see {@link withSteps}), and a step that read its previous step by the
 * sequential default before the edit and again does so after it keeps no written-out `inputs`.
 * @throws Error on misuse: an unknown step id, or a rename to an id {@link renameProblem} refuses.
 */
export function applyEdit(document: WorkflowDocument, edit: Edit, catalog: CatalogIndex): WorkflowDocument {
  const implicit = new Set(document.steps.filter((step) => step.inputs === undefined).map((step) => step.id));
  return reuseUnchanged(document, collapseDefaults(edited(document, edit, catalog), implicit, catalog));
}

/**
 * `after` with every step equal to the one at its place in `before` replaced by that same object,
 * or `before` itself when nothing changed: an edit that changes nothing records no undo step, and
 * unchanged steps keep their identity (so memoized nodes skip rendering).
 */
function reuseUnchanged(before: WorkflowDocument, after: WorkflowDocument): WorkflowDocument {
  if (after === before) return before;
  let same = after.steps.length === before.steps.length;
  let reused = false;
  const steps = after.steps.map((step, index) => {
    const old = before.steps[index];
    if (step === old) return step;
    if (old !== undefined && jsonEqual(step, old)) {
      reused = true;
      return old;
    }
    same = false;
    return step;
  });
  const { steps: _a, ...restAfter } = after;
  const { steps: _b, ...restBefore } = before;
  if (same && jsonEqual(restAfter, restBefore)) return before;
  if (same) return { ...after, steps: before.steps };
  return reused ? { ...after, steps } : after;
}

/** Deep equality of JSON values (key order ignored); shared subtrees are not walked. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => jsonEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function edited(document: WorkflowDocument, edit: Edit, catalog: CatalogIndex): WorkflowDocument {
  switch (edit.kind) {
    case 'addSteps':
      return addSteps(document, edit.steps, edit.positions ?? {}, catalog, edit.after);
    case 'insertOnEdge':
      return insertOnEdge(document, edit, catalog);
    case 'remove':
      return remove(document, new Set(edit.ids), catalog);
    case 'move':
      return withPositions(document, new Map(Object.entries(edit.positions)));
    case 'connect':
      return connect(document, edit.connection, catalog);
    case 'disconnect':
      return setInput(document, edit.target, edit.input, undefined, catalog);
    case 'setConfig':
      return replaceStep(document, edit.id, (step) => ({ ...step, config: edit.config }));
    case 'setStrategy':
      return replaceStep(document, edit.id, (step) => withStrategy(step, edit.strategy));
    case 'rename':
      return rename(document, edit.from, edit.to);
    case 'setWorkflow':
      return { ...document, name: edit.name ?? document.name, description: edit.description ?? document.description };
    case 'batch':
      return edit.edits.reduce((doc, inner) => edited(doc, inner, catalog), document);
  }
}

function indexOf(document: WorkflowDocument, id: string): number {
  const index = document.steps.findIndex((step) => step.id === id);
  if (index < 0) throw new Error(`The workflow has no step "${id}".`);
  return index;
}

function replaceStep(
  document: WorkflowDocument,
  id: string,
  change: (step: StepDocument) => StepDocument,
): WorkflowDocument {
  const index = indexOf(document, id);
  const steps = [...document.steps];
  steps[index] = change(steps[index] as StepDocument);
  return { ...document, steps };
}

function withStrategy(step: StepDocument, strategy: StepStrategy | undefined): StepDocument {
  const next = { ...step };
  if (strategy === undefined || Object.keys(strategy).length === 0) delete next.strategy;
  else next.strategy = strategy;
  return next;
}

function addSteps(
  document: WorkflowDocument,
  added: readonly StepDocument[],
  positions: Readonly<Record<string, XY>>,
  catalog: CatalogIndex,
  after: string | undefined,
): WorkflowDocument {
  const at = after === undefined ? document.steps.length : indexOf(document, after) + 1;
  const steps = [...document.steps.slice(0, at), ...added, ...document.steps.slice(at)];
  return withPositions(withSteps(document, steps, catalog), new Map(Object.entries(positions)));
}

function insertOnEdge(
  document: WorkflowDocument,
  edit: Extract<Edit, { kind: 'insertOnEdge' }>,
  catalog: CatalogIndex,
): WorkflowDocument {
  const { step, edge, position } = edit;
  const positions = position ? { [step.id]: position } : {};
  const placed = addSteps(document, [step], positions, catalog, edge.source);
  return setInput(placed, edge.target, edge.input, { step: step.id }, catalog);
}

function remove(document: WorkflowDocument, ids: ReadonlySet<string>, catalog: CatalogIndex): WorkflowDocument {
  const steps = document.steps.filter((step) => !ids.has(step.id)).map((step) => withoutReferences(step, ids));
  const next = withSteps(document, steps, catalog);
  const declared = outputsOf(document);
  if (declared === undefined) return withPositions(next, new Map(), ids);
  const outputs: Record<string, InputReference> = {};
  for (const [name, reference] of Object.entries(declared)) {
    if (!('step' in reference && ids.has(reference.step))) outputs[name] = reference;
  }
  return withPositions({ ...next, outputs }, new Map(), ids);
}

/**
 * The document's outputs, or undefined when it leaves them out: a file may (core reads it as no
 * outputs), and an edit then adds none, so the saved bytes change no more than the edit did.
 */
function outputsOf(document: WorkflowDocument): Record<string, InputReference> | undefined {
  return (document as { outputs?: Record<string, InputReference> }).outputs;
}

function withoutReferences(step: StepDocument, ids: ReadonlySet<string>): StepDocument {
  if (step.inputs === undefined) return step;
  const entries = Object.entries(step.inputs);
  const kept = entries.filter(([, reference]) => !('step' in reference && ids.has(reference.step)));
  return kept.length === entries.length ? step : { ...step, inputs: Object.fromEntries(kept) };
}

/** Sets (or with `undefined` removes) one input of a step, writing out its other inputs first. */
function setInput(
  document: WorkflowDocument,
  target: string,
  input: string,
  reference: InputReference | undefined,
  catalog: CatalogIndex,
): WorkflowDocument {
  const index = indexOf(document, target);
  const inputs = { ...inputsOf(document, index, catalog) };
  if (reference === undefined) delete inputs[input];
  else inputs[input] = reference;
  return replaceStep(document, target, (step) => ({ ...step, inputs }));
}

/** Connects, then moves steps so that every step again comes after the steps it reads. */
function connect(document: WorkflowDocument, connection: Connection, catalog: CatalogIndex): WorkflowDocument {
  const connected = setInput(document, connection.target, connection.input, { step: connection.source }, catalog);
  const order = runOrder(connected.steps, dependencies(connected, catalog));
  const moved = order.some((step, index) => step !== connected.steps[index]);
  return moved ? withSteps(connected, order, catalog) : connected;
}

function rename(document: WorkflowDocument, from: string, to: string): WorkflowDocument {
  const problem = renameProblem(document, from, to);
  if (problem !== undefined) throw new Error(problem);
  indexOf(document, from);
  const follow = (reference: InputReference): InputReference =>
    'step' in reference && reference.step === from ? { step: to } : reference;
  const steps = document.steps.map((step) => {
    const renamed = step.id === from ? { ...step, id: to } : step;
    if (renamed.inputs === undefined || !Object.values(renamed.inputs).some((r) => 'step' in r && r.step === from)) {
      return renamed;
    }
    const inputs = Object.fromEntries(Object.entries(renamed.inputs).map(([name, r]) => [name, follow(r)]));
    return { ...renamed, inputs };
  });
  const declared = outputsOf(document);
  const next =
    declared === undefined
      ? { ...document, steps }
      : { ...document, steps, outputs: Object.fromEntries(Object.entries(declared).map(([n, r]) => [n, follow(r)])) };
  const position = savedPositions(document).get(from);
  return position ? withPositions(next, new Map([[to, position]]), [from]) : next;
}

/**
 * Steps that relied on the sequential default before an edit and whose written-out inputs are again
 * exactly that default go back to having no `inputs`, so an edit changes no more bytes than it must.
 */
function collapseDefaults(
  document: WorkflowDocument,
  implicit: ReadonlySet<string>,
  catalog: CatalogIndex,
): WorkflowDocument {
  let steps: StepDocument[] | undefined;
  document.steps.forEach((step, index) => {
    if (step.inputs === undefined || !implicit.has(step.id)) return;
    const names = Object.keys(step.inputs);
    const reference = step.inputs.input;
    const reads = index > 0 && (catalog.bySlug.has(step.type) ? takesInput(catalog, step.type) : true);
    const previous = document.steps[index - 1]?.id;
    const isDefault = reads
      ? names.length === 1 && reference !== undefined && 'step' in reference && reference.step === previous
      : names.length === 0;
    if (!isDefault) return;
    steps ??= [...document.steps];
    const { inputs: _dropped, ...rest } = step;
    steps[index] = rest;
  });
  return steps ? { ...document, steps } : document;
}
