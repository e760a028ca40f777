import { ErrorCode } from '../errors/codes.js';
import { toStepError } from '../errors/stepwise-error.js';
import { type ValidationIssue, validationIssue } from '../errors/workflow-validation-error.js';
import type { WorkflowDocument } from '../model/document.js';
import { defaultRegistry } from '../registry/default-registry.js';
import type { StepRegistry } from '../registry/step-registry.js';
import { canonicalDocument } from './canonical.js';
import { type ContentCheck, checkContent, type StepAnalysis } from './check-content.js';
import { checkStructure } from './check-structure.js';

/** Everything learnt from checking a document. */
export interface Inspection {
  /** Every problem found, structural ones first. */
  issues: ValidationIssue[];
  /** The canonical document (a fresh copy), when there is no issue. */
  document: WorkflowDocument | undefined;
  /** Per step, what `plan()` needs; complete only when there is no issue. */
  analysis: (StepAnalysis | undefined)[];
  /** What was thrown while reading a document that could not be read (kept as the error's `cause`). */
  cause?: unknown;
}

/**
 * Checks a document of unknown origin: its shape always, its content too when a registry is given.
 * Never throws: anything unexpected becomes a `DOCUMENT_INVALID` issue.
 */
export function inspectDocument(raw: unknown, registry: StepRegistry | undefined): Inspection {
  try {
    const structure = checkStructure(raw);
    const issues = [...structure.issues];
    let content: ContentCheck | undefined;
    if (registry && structure.usable && structure.copy) {
      content = checkContent(structure.copy, structure, registry);
      issues.push(...content.issues);
    }
    const document = issues.length === 0 && structure.copy ? canonicalDocument(structure.copy) : undefined;
    return { issues, document, analysis: content?.analysis ?? [] };
  } catch (error) {
    const message = `The document could not be read: ${toStepError(error).message}`;
    const issues = [validationIssue(ErrorCode.DOCUMENT_INVALID, [], message)];
    return { issues, document: undefined, analysis: [], cause: error };
  }
}

/**
 * Every problem of a workflow document (format 1) against a registry, each with a code and a path;
 * `[]` when it is valid. Never throws. What `Workflow.fromJSON` and the editor use.
 * @example
 * for (const issue of validateDocument(JSON.parse(text), registry)) console.log(issue.pathText, issue.message);
 */
export function validateDocument(document: unknown, registry: StepRegistry = defaultRegistry): ValidationIssue[] {
  return inspectDocument(document, registry).issues;
}
