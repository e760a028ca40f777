import { ErrorCode } from '../errors/codes.js';
import { joinPath } from '../errors/workflow-validation-error.js';
import type { InferContext, InferIssue, InferResult, OutputShape } from '../registry/step-type.js';
import type { StepAnalysis } from './check-content.js';
import type { ContentContext } from './content-context.js';

/**
 * Walks the steps in list order and asks each step type's `infer` hook for its output shape (e.g. a
 * table's columns) given its inputs' shapes; the hook's issues become `CONFIG_INVALID` under
 * `steps[i].config`. A step with a problem of its own, a workflow input, a ref, a later step or a
 * step type without a hook all give an unknown shape, and unknown never fails.
 */
export function checkShapes(context: ContentContext, analysis: readonly (StepAnalysis | undefined)[]): void {
  // Workflows whose step types have no hook (plain JSON steps) pay one scan, nothing more.
  if (!analysis.some((found) => found?.stepType.infer !== undefined)) return;
  const shapes: (OutputShape | undefined)[] = new Array(analysis.length);
  const shared: InferContext = { notes: new Map() };
  analysis.forEach((found, index) => {
    if (found?.stepType.infer === undefined) return;
    const result = callHook(found, inputShapes(context, found, index, shapes), shared);
    shapes[index] = shapeOf(result);
    for (const issue of issuesOf(result)) {
      const path = issue.path.reduce<string>(joinPath, `steps[${index}].config`);
      const label = `step "${context.steps[index]?.id}" (${found.stepType.slug})`;
      context.issues.push({ code: ErrorCode.CONFIG_INVALID, path, message: `Config of ${label}: ${issue.message}` });
    }
  });
}

/** The shapes of a step's inputs by name: an earlier step's shape, else unknown. */
function inputShapes(
  context: ContentContext,
  found: StepAnalysis,
  index: number,
  shapes: readonly (OutputShape | undefined)[],
): Record<string, OutputShape | undefined> {
  const inputs: Record<string, OutputShape | undefined> = {};
  for (const [name, reference] of Object.entries(found.inputs)) {
    const target = 'step' in reference ? context.ids.get(reference.step) : undefined;
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
