import { ErrorCode } from '../errors/codes.js';
import { type IssueData, validationIssue } from '../errors/workflow-validation-error.js';
import type { InferContext, InferIssue, InferResult, OutputShape } from '../registry/step-type.js';
import type { ContentContext, StepAnalysis } from './content-context.js';

/** What the walk of the `infer` hooks learnt about one step. */
export interface ShapeVisit {
  index: number;
  found: StepAnalysis;
  /** The shapes of its inputs by name (undefined: unknown). */
  inputs: Record<string, OutputShape | undefined>;
  /** What its hook answered; undefined without a hook, or when the hook threw. */
  result: InferResult | undefined;
  /** Its output shape, when known. */
  shape: OutputShape | undefined;
}

/**
 * Walks the steps in list order and asks each step type's `infer` hook for its output shape (e.g. a
 * table's columns) given its inputs' shapes. A step with a problem of its own, a workflow input, a ref,
 * a later step or a step type without a hook all give an unknown shape. `indexOf` finds a step by id.
 */
export function walkShapes(
  analysis: readonly (StepAnalysis | undefined)[],
  indexOf: (stepId: string) => number | undefined,
  visit: (step: ShapeVisit) => void,
): void {
  const shapes: (OutputShape | undefined)[] = new Array(analysis.length);
  const shared: InferContext = { notes: new Map() };
  analysis.forEach((found, index) => {
    if (found === undefined) return;
    const inputs = inputShapes(found, index, shapes, indexOf);
    const result = found.stepType.infer === undefined ? undefined : callHook(found, inputs, shared);
    shapes[index] = shapeOf(result);
    visit({ index, found, inputs, result, shape: shapes[index] });
  });
}

/**
 * Reports what the step types' `infer` hooks find wrong, as `CONFIG_INVALID` issues under
 * `steps[i].config`; an unknown shape never fails (see {@link walkShapes}).
 */
export function checkShapes(context: ContentContext, analysis: readonly (StepAnalysis | undefined)[]): void {
  // Workflows whose step types have no hook (plain JSON steps) pay one scan, nothing more.
  if (!analysis.some((found) => found?.stepType.infer !== undefined)) return;
  walkShapes(
    analysis,
    (id) => context.ids.get(id),
    ({ index, found, result }) => {
      for (const issue of issuesOf(result)) {
        const label = `step "${context.stepIds[index]}" (${found.stepType.slug})`;
        context.issues.push(
          validationIssue(
            ErrorCode.CONFIG_INVALID,
            ['steps', index, 'config', ...issue.path],
            `Config of ${label}: ${issue.message}`,
            issueData(issue),
          ),
        );
      }
    },
  );
}

/** The shapes of a step's inputs by name: an earlier step's shape, else unknown. */
function inputShapes(
  found: StepAnalysis,
  index: number,
  shapes: readonly (OutputShape | undefined)[],
  indexOf: (stepId: string) => number | undefined,
): Record<string, OutputShape | undefined> {
  const inputs: Record<string, OutputShape | undefined> = {};
  for (const [name, reference] of Object.entries(found.inputs)) {
    const target = 'step' in reference ? indexOf(reference.step) : undefined;
    inputs[name] = target !== undefined && target < index ? shapes[target] : undefined;
  }
  return inputs;
}

// A hook is the step library's code: a throw is its bug, not the document's, so the shape is unknown
// and the run (which checks again) reports what is really wrong.
function callHook(
  found: StepAnalysis,
  inputs: Record<string, OutputShape | undefined>,
  shared: InferContext,
): InferResult | undefined {
  try {
    return found.stepType.infer?.(found.params, inputs, shared) ?? undefined;
  } catch {
    return undefined;
  }
}

function shapeOf(result: InferResult | undefined): OutputShape | undefined {
  const columns = result?.shape?.columns;
  if (!Array.isArray(columns) || !columns.every((name) => typeof name === 'string')) return undefined;
  return { columns: [...columns] };
}

/** What a hook's issue says besides its message, kept only when it has the right form. */
function issueData(issue: InferIssue): IssueData {
  const data: IssueData = {};
  if (Array.isArray(issue.suggestions)) data.suggestions = issue.suggestions.filter((s) => typeof s === 'string');
  if (typeof issue.expected === 'string') data.expected = issue.expected;
  if (typeof issue.actual === 'string') data.actual = issue.actual;
  return data;
}

function issuesOf(result: InferResult | undefined): InferIssue[] {
  const issues = result?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.filter(
    (issue): issue is InferIssue =>
      issue !== null &&
      typeof issue === 'object' &&
      typeof issue.message === 'string' &&
      Array.isArray(issue.path) &&
      issue.path.every((key) => typeof key === 'string' || typeof key === 'number'),
  );
}
