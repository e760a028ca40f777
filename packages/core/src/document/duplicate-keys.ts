import { ErrorCode } from '../errors/codes.js';
import { type PathSegment, type ValidationIssue, validationIssue } from '../errors/workflow-validation-error.js';
import { DocumentLimits } from '../model/document.js';

/** At most this many duplicate keys are reported for one text (the rest are the same mistake). */
const MAX_REPORTED = 100;

/** One open object or array: the keys seen (objects only), and the key or index being read. */
interface Frame {
  keys: Set<string> | undefined;
  segment: PathSegment | undefined;
}

/** The text without a leading byte order mark (editors on Windows write one). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Every key that appears twice in one object of a JSON text, as `DUPLICATE_KEY` issues at the
 * path of the key. `JSON.parse` keeps the last of two equal keys without a word, so a reviewer
 * reading the first `"steps"` of a document would be shown one workflow while another runs.
 * Keys are compared after unescaping (`"a"` and `"\u0061"` are the same key).
 *
 * For a text `JSON.parse` accepts. One pass, linear in the text's length; containers are kept in
 * an array rather than on the call stack, and keys are tracked only down to
 * {@link DocumentLimits.maxDepth} (deeper values are refused as `NESTING_TOO_DEEP` anyway).
 * @example
 * findDuplicateKeys('{"steps": [], "steps": []}'); // [{ code: 'DUPLICATE_KEY', pathText: 'steps', ... }]
 */
export function findDuplicateKeys(text: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const frames: Frame[] = [];
  let expectKey = false;
  const length = text.length;
  for (let at = 0; at < length; ) {
    const code = text.charCodeAt(at);
    if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      const object = code === 0x7b;
      const tracked = frames.length < DocumentLimits.maxDepth;
      frames.push({ keys: object && tracked ? new Set() : undefined, segment: object ? undefined : 0 });
      expectKey = object;
      at++;
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      frames.pop();
      expectKey = false;
      at++;
    } else if (code === 0x2c /* , */) {
      const top = frames[frames.length - 1];
      if (top !== undefined && typeof top.segment === 'number') top.segment++;
      else expectKey = true;
      at++;
    } else if (code === 0x22 /* " */) {
      const end = stringEnd(text, at);
      if (expectKey) {
        const top = frames[frames.length - 1] as Frame;
        const key = keyText(text, at, end);
        top.segment = key;
        expectKey = false;
        if (top.keys?.has(key) && issues.length < MAX_REPORTED) issues.push(duplicate(frames, key));
        top.keys?.add(key);
      }
      at = end;
    } else {
      at++;
    }
  }
  return dedupe(issues);
}

/** The offset just after the string that opens at `at` (the text is valid JSON). */
function stringEnd(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5c) i++;
    else if (code === 0x22) return i + 1;
  }
  return text.length;
}

function keyText(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

function duplicate(frames: Frame[], key: string): ValidationIssue {
  const path: PathSegment[] = [];
  for (let i = 0; i < frames.length - 1; i++) path.push((frames[i] as Frame).segment as PathSegment);
  path.push(key);
  const where = path.length === 1 ? 'the document' : 'this object';
  return validationIssue(
    ErrorCode.DUPLICATE_KEY,
    path,
    `Key ${JSON.stringify(key)} appears more than once in ${where}; JSON readers keep only the last one, so remove or rename the others.`,
    { expected: 'each key once per object', actual: `${JSON.stringify(key)} more than once` },
  );
}

/** One issue per key and object, however many times the key repeats. */
function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const id = JSON.stringify(issue.path);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
