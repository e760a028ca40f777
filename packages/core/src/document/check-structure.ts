import type { z } from 'zod';
import { ErrorCode } from '../errors/codes.js';
import { describeValue } from '../errors/stepwise-error.js';
import { type PathSegment, type ValidationIssue, validationIssue } from '../errors/workflow-validation-error.js';
import { DOCUMENT_FORMAT, DOCUMENT_VERSION, DocumentLimits } from '../model/document.js';
import { isPlainObject, type JsonObject } from '../model/json.js';
import { closest } from '../registry/closest.js';
import { documentSchema, knownFields } from './document-schema.js';
import { copyJson } from './json-copy.js';

/** The outcome of {@link checkStructure}. */
export interface StructureCheck {
  issues: ValidationIssue[];
  /** A clean copy of the document (keys sorted; forbidden keys and non-JSON values left out). */
  copy: JsonObject | undefined;
  /** False when content checks cannot run at all (not an object, unsupported format, no steps array). */
  usable: boolean;
  /** Steps whose own shape is wrong: content checks look only at their id. */
  brokenSteps: Set<number>;
  /** The workflow `inputs` map has a problem of shape: references to workflow inputs are not checked. */
  inputsBroken: boolean;
  outputsBroken: boolean;
}

/**
 * Checks everything about a document that needs no registry: JSON-ness, forbidden keys, nesting,
 * size, format and version, and the shape of every field (unknown fields included).
 */
export function checkStructure(raw: unknown): StructureCheck {
  const result: StructureCheck = {
    issues: [],
    copy: undefined,
    usable: false,
    brokenSteps: new Set(),
    inputsBroken: false,
    outputsBroken: false,
  };
  if (!isPlainObject(raw)) {
    const actual = describeValue(raw);
    const message = `A workflow document is a JSON object; got ${actual}.`;
    result.issues.push(validationIssue(ErrorCode.DOCUMENT_INVALID, [], message, { expected: 'a JSON object', actual }));
    return result;
  }
  const steps = Object.hasOwn(raw, 'steps') ? raw.steps : undefined;
  if (Array.isArray(steps) && steps.length > DocumentLimits.maxSteps) {
    result.issues.push(
      validationIssue(
        ErrorCode.DOCUMENT_TOO_LARGE,
        ['steps'],
        `The workflow has ${steps.length} steps; at most ${DocumentLimits.maxSteps} are accepted.`,
        { expected: `at most ${DocumentLimits.maxSteps} steps`, actual: `${steps.length} steps` },
      ),
    );
    return result;
  }
  const copied = copyJson(raw);
  result.issues.push(...copied.issues);
  if (copied.issues.some((issue) => issue.code === ErrorCode.DOCUMENT_TOO_LARGE)) return result;
  const copy = copied.value as JsonObject;
  result.copy = copy;
  const format = formatIssue(copy);
  if (format) {
    result.issues.push(format);
    return result;
  }
  for (const issue of copied.issues) markBroken(result, issue.path);
  checkShape(copy, result, new Set(copied.issues.map((issue) => issue.pathText)));
  result.usable = Array.isArray(copy.steps);
  return result;
}

function formatIssue(copy: JsonObject): ValidationIssue | undefined {
  const expected = `expected "format": "${DOCUMENT_FORMAT}" with "version": ${DOCUMENT_VERSION}`;
  if (copy.format !== DOCUMENT_FORMAT) {
    const got = copy.format === undefined ? 'no "format" field' : `format ${describeValue(copy.format)}`;
    return validationIssue(ErrorCode.FORMAT_UNSUPPORTED, ['format'], `Unsupported document: ${got}; ${expected}.`, {
      expected: JSON.stringify(DOCUMENT_FORMAT),
      actual: copy.format === undefined ? 'nothing' : describeValue(copy.format),
    });
  }
  if (copy.version !== DOCUMENT_VERSION) {
    const got = copy.version === undefined ? 'no "version" field' : `version ${describeValue(copy.version)}`;
    return validationIssue(
      ErrorCode.FORMAT_UNSUPPORTED,
      ['version'],
      `Unsupported document: ${got}; this release reads ${expected}.`,
      {
        expected: String(DOCUMENT_VERSION),
        actual: copy.version === undefined ? 'nothing' : describeValue(copy.version),
      },
    );
  }
  return undefined;
}

function checkShape(copy: JsonObject, result: StructureCheck, reported: Set<string>): void {
  // jitless: zod's compiled fast path costs more to build than this one parse of a document gains
  // (a per-parse option; zod's global config, a user's own, is left alone)
  const parsed = documentSchema.safeParse(copy, { reportInput: true, jitless: true });
  if (parsed.success) return;
  for (const zodIssue of parsed.error.issues) {
    for (const issue of toIssues(zodIssue)) {
      if (isUnder(issue.pathText, reported)) continue;
      result.issues.push(issue);
      markBroken(result, issue.path);
    }
  }
}

function markBroken(result: StructureCheck, path: readonly PathSegment[]): void {
  const [head, index] = path;
  if (head === 'steps' && typeof index === 'number') result.brokenSteps.add(index);
  else if (head === 'inputs') result.inputsBroken = true;
  else if (head === 'outputs') result.outputsBroken = true;
}

/** True when `path` or one of its ancestors is in `paths` (already reported by the JSON walk). */
function isUnder(path: string, paths: Set<string>): boolean {
  if (paths.size === 0) return false;
  if (paths.has(path)) return true;
  for (let i = 1; i < path.length; i++) {
    if ((path[i] === '.' || path[i] === '[') && paths.has(path.slice(0, i))) return true;
  }
  return false;
}

function toIssues(issue: z.core.$ZodIssue): ValidationIssue[] {
  const path = issue.path.filter((key): key is PathSegment => typeof key !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownField(key, path));
    case 'invalid_type': {
      if (issue.input === undefined) {
        const message = `Missing required field; expected ${issue.expected}.`;
        return [validationIssue(ErrorCode.FIELD_REQUIRED, path, message, { expected: issue.expected })];
      }
      const actual = describeValue(issue.input);
      const message = `Expected ${issue.expected}, got ${actual}.`;
      return [validationIssue(ErrorCode.FIELD_INVALID, path, message, { expected: issue.expected, actual })];
    }
    case 'invalid_key': {
      const message = `Invalid name ${describeValue(issue.input)}: ${issue.issues[0]?.message ?? issue.message}.`;
      return [validationIssue(ErrorCode.FIELD_INVALID, path, message, { actual: describeValue(issue.input) })];
    }
    case 'invalid_value': {
      const expected = `one of: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
      const actual = issue.input === undefined ? undefined : describeValue(issue.input);
      const data = actual === undefined ? { expected } : { expected, actual };
      return [validationIssue(ErrorCode.FIELD_INVALID, path, `${issue.message}.`, data)];
    }
    case 'invalid_format':
      if (path[path.length - 1] === 'ref' && typeof issue.input === 'string') {
        // checked here so `..`, a path or an encoded slash fails validation, not the run
        const actual = describeValue(issue.input);
        const message = `${issue.message}; got ${actual}.`;
        return [validationIssue(ErrorCode.REF_INVALID, path, message, { expected: 'a ref ("ref_…")', actual })];
      }
      return [validationIssue(ErrorCode.FIELD_INVALID, path, `${issue.message}.`)];
    default:
      return [validationIssue(ErrorCode.FIELD_INVALID, path, `${issue.message}.`)];
  }
}

function unknownField(key: string, at: PathSegment[]): ValidationIssue {
  const [where, known, free] = describeObject(at);
  const hint = free ? ` Free-form data belongs under ${free}.` : '';
  const expected = `one of: ${known.join(', ')}`;
  return validationIssue(
    ErrorCode.FIELD_UNKNOWN,
    [...at, key],
    `Unknown field "${key}" in ${where}; expected ${expected}.${hint}`,
    { suggestions: closest(key, known), expected, actual: JSON.stringify(key) },
  );
}

function describeObject(at: PathSegment[]): [string, readonly string[], string] {
  if (at.length === 0) return ['the document', knownFields.document, '"ui" or "metadata"'];
  if (at[0] === 'steps' && at.length === 2) return ['a step', knownFields.step, '"metadata"'];
  if (at[0] === 'steps' && at[2] === 'strategy') return ['a strategy', knownFields.strategy, ''];
  if (at[0] === 'inputs') return ['a workflow input', knownFields.input, ''];
  return ['a reference', knownFields.reference, ''];
}
