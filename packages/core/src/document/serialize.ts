import { ErrorCode } from '../errors/codes.js';
import { describeValue } from '../errors/stepwise-error.js';
import { type ValidationIssue, validationIssue, WorkflowValidationError } from '../errors/workflow-validation-error.js';
import type { WorkflowDocument } from '../model/document.js';
import { findDuplicateKeys, stripBom } from './duplicate-keys.js';
import { inspectDocument } from './inspect.js';
import { locateJsonSyntaxError } from './json-syntax.js';
import { Workflow } from './workflow.js';
import type { LoadOptions } from './workflow-options.js';

/**
 * Parses workflow document text (JSON) into a validated {@link Workflow}.
 * @example
 * const wf = parseWorkflow(readFileSync('sales.workflow.json', 'utf8'), { registry });
 * A leading byte order mark is ignored. A key twice in one object, at any depth, is a
 * `DUPLICATE_KEY` issue (`JSON.parse` alone would keep the last one and hide the first).
 * @throws WorkflowValidationError listing every issue; a JSON syntax error is one `DOCUMENT_INVALID` issue
 * whose message names its line and column (see {@link findJsonSyntaxError}).
 */
export function parseWorkflow(text: string, options: LoadOptions = {}): Workflow {
  if (typeof text !== 'string') {
    const message = `Expected the document's JSON text, got ${describeValue(text)}; pass a parsed document to Workflow.fromJSON.`;
    throw new WorkflowValidationError([validationIssue(ErrorCode.DOCUMENT_INVALID, [], message)]);
  }
  const json = stripBom(text);
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (cause) {
    const { line, column, message } = locateJsonSyntaxError(json);
    const issue = validationIssue(
      ErrorCode.DOCUMENT_INVALID,
      [],
      `The document is not valid JSON: line ${line}, column ${column}: ${message}.`,
    );
    throw new WorkflowValidationError([issue], 'Workflow document', { cause });
  }
  const duplicates = findDuplicateKeys(json);
  if (duplicates.length === 0) return Workflow.fromJSON(document, options);
  let others: ValidationIssue[] = [];
  try {
    Workflow.fromJSON(document, options);
  } catch (error) {
    if (!(error instanceof WorkflowValidationError)) throw error;
    others = error.issues;
  }
  throw new WorkflowValidationError([...duplicates, ...others]);
}

/**
 * The canonical text of a workflow or a document: 2-space JSON with a trailing newline, top-level and
 * step fields in a fixed order and every map sorted, so the same workflow always gives the same bytes.
 * A document is checked for shape (not against a registry) first.
 * @example
 * writeFileSync('sales.workflow.json', stringifyWorkflow(wf));
 * @throws WorkflowValidationError when a document given directly is malformed.
 */
export function stringifyWorkflow(workflow: Workflow | WorkflowDocument): string {
  const document = workflow instanceof Workflow ? workflow.toJSON() : canonical(workflow);
  return `${JSON.stringify(document, null, 2)}\n`;
}

function canonical(document: WorkflowDocument): WorkflowDocument {
  const inspection = inspectDocument(document, undefined);
  if (inspection.document === undefined) throw new WorkflowValidationError(inspection.issues);
  return inspection.document;
}
