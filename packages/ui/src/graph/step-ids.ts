import { DocumentLimits, ID_PATTERN, type WorkflowDocument } from '@stepwise/core/model';

/** The first of `base`, `base_2`, `base_3`, ... that is not in `taken`. */
export function freeId(base: string, taken: ReadonlySet<string>): string {
  const stem = base.replace(/_\d+$/, '') || 'step';
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${stem}_${n}`)) n += 1;
  return `${stem}_${n}`;
}

/** The ids of a document's steps. */
export function stepIds(document: WorkflowDocument): Set<string> {
  return new Set(document.steps.map((step) => step.id));
}

/** Why `to` cannot be the new id of step `from`, or undefined when it can. */
export function renameProblem(document: WorkflowDocument, from: string, to: string): string | undefined {
  if (to === from) return undefined;
  if (to.length === 0) return 'A step id cannot be empty.';
  if (to.length > DocumentLimits.maxIdLength) return `A step id has at most ${DocumentLimits.maxIdLength} characters.`;
  if (!ID_PATTERN.test(to)) return 'A step id is letters, digits, "_" and "-", starting with a letter or "_".';
  if (document.steps.some((step) => step.id === to)) return `There is already a step "${to}".`;
  return undefined;
}
