import type { InputReference, StepDocument, WorkflowDocument } from '@stepwise/core/model';
import type { CatalogIndex } from './catalog.js';
import { inputsOf } from './document-graph.js';

/**
 * The document with `steps` as its new step list (steps added, removed or reordered), every
 * surviving connection kept: a step that relied on the sequential default and whose previous step
 * changes gets that old connection written out as `inputs`. When its old previous step is gone it
 * keeps the default and so reads the new previous step (a removed step in a chain is bridged).
 */
export function withSteps(
  document: WorkflowDocument,
  steps: readonly StepDocument[],
  catalog: CatalogIndex,
): WorkflowDocument {
  // the previous step each step reads through the default, when it reads one
  const before = new Map<string, Record<string, InputReference>>();
  const kept = new Set(steps.map((step) => step.id));
  document.steps.forEach((step, index) => {
    if (step.inputs !== undefined) return;
    const inputs = inputsOf(document, index, catalog);
    if (inputs.input !== undefined) before.set(step.id, inputs);
  });
  const next = steps.map((step, index) => {
    const old = before.get(step.id);
    if (step.inputs !== undefined || old === undefined) return step;
    const oldPrevious = (old.input as { step: string }).step;
    if (oldPrevious === steps[index - 1]?.id || !kept.has(oldPrevious)) return step;
    return { ...step, inputs: { ...old } };
  });
  return { ...document, steps: next };
}

/** The step ids each step reads (from step references, after the sequential default). */
export function dependencies(document: WorkflowDocument, catalog: CatalogIndex): Map<string, string[]> {
  const found = new Map<string, string[]>();
  document.steps.forEach((step, index) => {
    const reads: string[] = [];
    for (const reference of Object.values(inputsOf(document, index, catalog))) {
      if ('step' in reference && !reads.includes(reference.step)) reads.push(reference.step);
    }
    found.set(step.id, reads);
  });
  return found;
}

/** True when `from` reads `to`, directly or through other steps. */
export function reaches(reads: ReadonlyMap<string, string[]>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const pending = [from];
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    pending.push(...(reads.get(id) ?? []));
  }
  return false;
}

/**
 * The steps in an order where each step comes after every step it reads, as close to the current
 * order as possible (a stable topological sort: among the steps that are ready, the earliest first).
 * Steps caught in a cycle keep their relative order at the end.
 */
export function runOrder(steps: readonly StepDocument[], reads: ReadonlyMap<string, string[]>): StepDocument[] {
  const position = new Map(steps.map((step, index) => [step.id, index]));
  const waiting = new Map<string, number>();
  const readers = new Map<string, string[]>();
  for (const step of steps) {
    const sources = (reads.get(step.id) ?? []).filter((id) => position.has(id) && id !== step.id);
    waiting.set(step.id, sources.length);
    for (const source of sources) readers.set(source, [...(readers.get(source) ?? []), step.id]);
  }
  const ready = steps.filter((step) => waiting.get(step.id) === 0).map((step) => position.get(step.id) as number);
  const order: StepDocument[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const step = steps[ready.shift() as number] as StepDocument;
    order.push(step);
    for (const reader of readers.get(step.id) ?? []) {
      const left = (waiting.get(reader) as number) - 1;
      waiting.set(reader, left);
      if (left === 0) ready.push(position.get(reader) as number);
    }
  }
  if (order.length < steps.length) order.push(...steps.filter((step) => !order.includes(step)));
  return order;
}
