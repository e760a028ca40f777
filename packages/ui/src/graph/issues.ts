import type { ValidationIssue, WorkflowDocument } from '@stepwise/core/model';

/** A path from the document root: keys and array indexes (`['steps', 2, 'config', 'threshold']`). */
export type IssuePath = readonly (string | number)[];

/**
 * A validation issue as the editor receives it from the server: core's `ValidationIssue` (a code, the
 * path as an array of keys and indexes, a sentence, and the code's data: suggestions, expected,
 * actual). `pathText` may be missing: the issues of a document the server refused (a plan's 400
 * `DOCUMENT_INVALID`) carry code, path and message only.
 */
export type EditorIssue = Omit<ValidationIssue, 'path' | 'pathText'> & { path: IssuePath; pathText?: string };

/** The part of a step an issue is about. */
export type StepSection = 'config' | 'strategy' | 'inputs' | 'step';

/** Where an issue points in the editor: a step and a field of it, or the workflow itself. */
export type IssueLocation =
  | {
      kind: 'step';
      stepId: string;
      section: StepSection;
      /** The field's path inside its section (`['threshold']`, `['aggregates', 0, 'column']`, `['right']`). */
      field: IssuePath;
    }
  | { kind: 'workflow'; field: IssuePath };

/**
 * Where an issue points. Issue paths name steps by index, so they are read against `validated`, the
 * document that was validated (the one the issues came back for), and name the step by id from then
 * on: later edits that move steps do not send a click to the wrong step.
 */
export function locateIssue(issue: EditorIssue, validated: WorkflowDocument): IssueLocation {
  const [head, index, section, ...rest] = issue.path;
  const step = head === 'steps' && typeof index === 'number' ? validated.steps[index] : undefined;
  if (step === undefined) return { kind: 'workflow', field: issue.path };
  if (section === 'config' || section === 'strategy' || section === 'inputs') {
    return { kind: 'step', stepId: step.id, section, field: rest };
  }
  return { kind: 'step', stepId: step.id, section: 'step', field: section === undefined ? [] : [section, ...rest] };
}

/** rjsf's error tree: nested by field, messages under `__errors`. */
export interface FieldErrors {
  __errors?: string[];
  [field: string]: FieldErrors | string[] | undefined;
}

/**
 * The issues of one step's config as a tree of field errors (what @rjsf/core takes as `extraErrors`),
 * so the server's messages show inline at the field they name.
 */
export function configErrors(issues: readonly EditorIssue[], validated: WorkflowDocument, stepId: string): FieldErrors {
  const tree: FieldErrors = {};
  for (const issue of issues) {
    const location = locateIssue(issue, validated);
    if (location.kind !== 'step' || location.stepId !== stepId || location.section !== 'config') continue;
    let node = tree;
    for (const key of location.field) {
      const name = String(key);
      if (name === '__proto__') break;
      node[name] ??= {};
      node = node[name] as FieldErrors;
    }
    node.__errors = [...(node.__errors ?? []), issue.message];
  }
  return tree;
}

/** Issues per step id (what the canvas marks on each node). */
export function issuesByStep(issues: readonly EditorIssue[], validated: WorkflowDocument): Map<string, EditorIssue[]> {
  const byStep = new Map<string, EditorIssue[]>();
  for (const issue of issues) {
    const location = locateIssue(issue, validated);
    if (location.kind !== 'step') continue;
    byStep.set(location.stepId, [...(byStep.get(location.stepId) ?? []), issue]);
  }
  return byStep;
}
