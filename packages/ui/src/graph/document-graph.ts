import {
  effectiveInputs,
  type InputReference,
  type StepDocument,
  type StepTypeInfo,
  type WorkflowDocument,
} from '@stepwise/core/model';
import { type CatalogIndex, type InputPort, takesInput } from './catalog.js';

/** One step as the canvas draws it. */
export interface StepNodeModel {
  id: string;
  /** The step's place in the document's list (the run order). */
  index: number;
  step: StepDocument;
  /** The step type's catalog entry; undefined for a slug the catalog does not know. */
  info: StepTypeInfo | undefined;
  /** One handle per input, the primary one first, each with its data type. */
  ports: readonly InputPort[];
  /** What each input reads, by input name (after the sequential default); inputs bound to no step included. */
  inputs: Readonly<Record<string, InputReference>>;
}

/** One connection: a step's output feeding another step's named input. */
export interface StepEdgeModel {
  /** `target:input`: an input reads exactly one thing, so this is unique. */
  id: string;
  source: string;
  target: string;
  /** The target's input name (`input` for the primary one). */
  input: string;
  /** True for the sequential default: the target has no `inputs` and reads the previous step. */
  implicit: boolean;
}

/** The document as nodes and edges. */
export interface DocumentGraph {
  nodes: StepNodeModel[];
  edges: StepEdgeModel[];
}

/** The id of the edge into `target`'s input `input`. */
export function edgeId(target: string, input: string): string {
  return `${target}:${input}`;
}

/**
 * A step's inputs after the sequential default. A step type the catalog does not know is taken to
 * read its previous step when it has no `inputs`, as most steps do, so the edge stays visible.
 */
export function inputsOf(
  document: Pick<WorkflowDocument, 'steps'>,
  index: number,
  catalog: CatalogIndex,
): Record<string, InputReference> {
  const step = document.steps[index] as StepDocument;
  const reads = catalog.bySlug.has(step.type) ? takesInput(catalog, step.type) : true;
  return effectiveInputs(document.steps, index, reads);
}

/**
 * Nodes for every step and edges for every reference to a step, the implicit "previous step" input
 * included. References to workflow inputs and refs are not edges (no node to start from); they stay
 * in each node's `inputs`. A reference to a missing step draws no edge (validation reports it).
 */
export function graphOf(document: Pick<WorkflowDocument, 'steps'>, catalog: CatalogIndex): DocumentGraph {
  const ids = new Set(document.steps.map((step) => step.id));
  const nodes: StepNodeModel[] = [];
  const edges: StepEdgeModel[] = [];
  document.steps.forEach((step, index) => {
    const inputs = inputsOf(document, index, catalog);
    nodes.push({
      id: step.id,
      index,
      step,
      info: catalog.bySlug.get(step.type),
      ports: portsOf(step, catalog),
      inputs,
    });
    for (const [input, reference] of Object.entries(inputs)) {
      if (!('step' in reference) || !ids.has(reference.step) || reference.step === step.id) continue;
      edges.push({
        id: edgeId(step.id, input),
        source: reference.step,
        target: step.id,
        input,
        implicit: step.inputs === undefined,
      });
    }
  });
  return { nodes, edges };
}

const UNKNOWN_PORTS: readonly InputPort[] = [{ name: 'input', type: '?' }];

/** The catalog's ports (an unknown type gets a primary input of unknown type), plus one for each input the step names that its type does not declare. */
function portsOf(step: StepDocument, catalog: CatalogIndex): readonly InputPort[] {
  const declared = catalog.bySlug.has(step.type) ? catalog.ports(step.type) : UNKNOWN_PORTS;
  if (step.inputs === undefined) return declared;
  const extra = Object.keys(step.inputs).filter((name) => !declared.some((port) => port.name === name));
  return extra.length === 0 ? declared : [...declared, ...extra.map((name) => ({ name, type: '?' }))];
}
