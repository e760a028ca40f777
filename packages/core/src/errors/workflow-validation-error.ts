import { ErrorCode } from './codes.js';
import { StepwiseError } from './stepwise-error.js';

/** A key or an array index on the way from the document root to a field. */
export type PathSegment = string | number;

/**
 * One problem in a workflow, as data: a typed code, the path from the document root as keys and
 * indexes (the editor maps it to a form field), the same path as text, a sentence, and what the
 * code knows besides (close matches, what was expected, what was found). Every code in
 * {@link ErrorCode} a validation reports; see docs/reference.md for each one's data.
 */
export interface ValidationIssue {
  code: string;
  /** From the document root to the bad field: `['steps', 1, 'config', 'threshold']`; `[]` for the root. */
  path: PathSegment[];
  /** `path` as messages print it: `steps[1].config.threshold`; `''` for the root. */
  pathText: string;
  message: string;
  /** Close matches of what was given, best first (an unknown step type, field, step id or input). */
  suggestions?: string[];
  /** What was expected, in words (`a number`, `"stepwise.workflow"`, `DataFrame`). */
  expected?: string;
  /** What was found, described (`a string`, `"orders"`, `JSON`). */
  actual?: string;
}

/** What a {@link validationIssue} may carry besides its code, path and message. */
export type IssueData = Pick<ValidationIssue, 'suggestions' | 'expected' | 'actual'>;

/**
 * A validation issue at `path`, with its path text made from it.
 * @example validationIssue('CONFIG_INVALID', ['steps', 2, 'config', 'threshold'], 'Expected a number.', { expected: 'a number' })
 */
export function validationIssue(
  code: string,
  path: readonly PathSegment[],
  message: string,
  data: IssueData = {},
): ValidationIssue {
  const issue: ValidationIssue = { code, path: [...path], pathText: formatPath(path), message };
  if (data.suggestions !== undefined && data.suggestions.length > 0) issue.suggestions = [...data.suggestions];
  if (data.expected !== undefined) issue.expected = data.expected;
  if (data.actual !== undefined) issue.actual = data.actual;
  return issue;
}

/**
 * A workflow or document with problems. Lists every issue, never only the first.
 * `code` is `DOCUMENT_INVALID`.
 */
export class WorkflowValidationError extends StepwiseError {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[], what = 'Workflow document', options: { cause?: unknown } = {}) {
    const shown = issues.slice(0, 20).map((i) => `  - ${i.pathText || '(root)'}: ${i.message} [${i.code}]`);
    const more = issues.length > 20 ? [`  … and ${issues.length - 20} more`] : [];
    super(
      ErrorCode.DOCUMENT_INVALID,
      `${what} is invalid (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${[...shown, ...more].join('\n')}`,
      { details: { issues }, ...(options.cause === undefined ? {} : { cause: options.cause }) },
    );
    this.name = 'WorkflowValidationError';
    this.issues = issues;
  }
}

/** Path segments as issues print them: `steps[1].config.threshold`, `inputs["two words"]`; `''` for none. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) text += text ? `.${key}` : key;
    else text += `[${JSON.stringify(key)}]`;
  }
  return text;
}
