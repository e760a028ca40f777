import { ErrorCode } from './codes.js';
import { StepwiseError } from './stepwise-error.js';

/** One problem in a workflow: a code, the JSON path from the document root, and a sentence. */
export interface ValidationIssue {
  code: string;
  /** From the document root to the bad field, e.g. `steps[1].config.threshold`; `''` for the root. */
  path: string;
  message: string;
}

/**
 * A workflow or document with problems. Lists every issue, never only the first.
 * `code` is `DOCUMENT_INVALID`.
 */
export class WorkflowValidationError extends StepwiseError {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[], what = 'Workflow document') {
    const shown = issues.slice(0, 20).map((i) => `  - ${i.path || '(root)'}: ${i.message} [${i.code}]`);
    const more = issues.length > 20 ? [`  … and ${issues.length - 20} more`] : [];
    super(
      ErrorCode.DOCUMENT_INVALID,
      `${what} is invalid (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${[...shown, ...more].join('\n')}`,
      { details: { issues } },
    );
    this.name = 'WorkflowValidationError';
    this.issues = issues;
  }
}

/** Joins path segments the way issues print them: `steps[1].config.threshold`. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}
