import { ErrorCode } from '../errors/codes.js';
import { describeValue } from '../errors/stepwise-error.js';
import {
  type PathSegment,
  type ValidationIssue,
  validationIssue,
  WorkflowValidationError,
} from '../errors/workflow-validation-error.js';
import { DocumentLimits, FORBIDDEN_KEYS } from '../model/document.js';
import { type JsonObject, type JsonValue, markDeepFrozen } from '../model/json.js';

/** Values visited in one copy before the input is declared too large (guards against shared sub-objects). */
const MAX_NODES = 5_000_000;

/** Where a copy starts: the path and depth of `value` inside the whole document. */
export interface CopyOrigin {
  /** Path of the value from the document root, e.g. `['steps', 2, 'config']`. */
  path?: readonly PathSegment[];
  /** Depth of the value from the document root (the root is 0). */
  depth?: number;
  /** Deep-freeze the copy. */
  freeze?: boolean;
}

/** The outcome of {@link copyJson}: a clean copy, and every problem found on the way. */
export interface JsonCopy {
  value: JsonValue;
  issues: ValidationIssue[];
}

/** One value still to copy. The path is built only when an issue needs it. */
interface Task {
  value: unknown;
  depth: number;
  parent: Task | undefined;
  key: string | number;
  target: Record<string, JsonValue> | JsonValue[];
}

/**
 * Copies any value into plain JSON, ITERATIVELY (a value nested 100,000 levels deep costs no stack),
 * with object keys sorted so the same content always gives the same bytes. Reports, with paths:
 * keys `__proto__`/`constructor`/`prototype` (`KEY_FORBIDDEN`, never copied), non-JSON values such as
 * functions, `undefined`, `NaN` and class instances (`FIELD_INVALID`), and objects or arrays deeper
 * than {@link DocumentLimits.maxDepth} (`NESTING_TOO_DEEP`). Bad values are left out of the copy
 * (`null` stands in for a bad root). Never throws for a value it can read.
 */
export function copyJson(value: unknown, origin: CopyOrigin = {}): JsonCopy {
  const basePath = origin.path ?? [];
  const holder: JsonValue[] = [null];
  const issues: ValidationIssue[] = [];
  const containers: object[] = [];
  const stack: Task[] = [{ value, depth: origin.depth ?? 0, parent: undefined, key: 0, target: holder }];
  let visited = 0;
  const report = (task: Task, code: string, message: string) => {
    issues.push(validationIssue(code, pathOf(task, basePath), message));
    if (Array.isArray(task.target)) task.target[task.key as number] = null;
    else delete task.target[task.key as string];
  };
  for (let task = stack.pop(); task !== undefined; task = stack.pop()) {
    if (++visited > MAX_NODES) {
      issues.push(validationIssue(ErrorCode.DOCUMENT_TOO_LARGE, basePath, tooLargeMessage()));
      break;
    }
    const copy = copyScalar(task.value);
    if (copy !== NOT_SCALAR) {
      setTarget(task, copy);
      continue;
    }
    const source = task.value;
    const isArray = Array.isArray(source);
    if (!isArray && !isPlain(source)) {
      report(
        task,
        ErrorCode.FIELD_INVALID,
        `${describeValue(source)} is not a JSON value; expected null, a boolean, a finite number, a string, an array or a plain object.`,
      );
      continue;
    }
    if (isArray && (source as unknown[]).length > MAX_NODES - visited) {
      issues.push(validationIssue(ErrorCode.DOCUMENT_TOO_LARGE, pathOf(task, basePath), tooLargeMessage()));
      break;
    }
    if (task.depth >= DocumentLimits.maxDepth) {
      report(
        task,
        ErrorCode.NESTING_TOO_DEEP,
        `Nested more than ${DocumentLimits.maxDepth} levels deep; flatten this value.`,
      );
      continue;
    }
    const container = isArray
      ? expandArray(task, source as unknown[], stack)
      : expandObject(task, source as object, stack, report);
    containers.push(container);
    setTarget(task, container);
  }
  if (origin.freeze) for (const container of containers) Object.freeze(container);
  return { value: holder[0] ?? null, issues };
}

/** Deep-freezes a JSON value (a document, a config) iteratively and returns it. */
export function freezeJson<T>(value: T): T {
  // a root frozen before may hold unfrozen children (frozen subtrees are skipped): only a root frozen here is known deep-frozen
  const frozenHere = value !== null && typeof value === 'object' && !Object.isFrozen(value);
  const stack: unknown[] = [value];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item === null || typeof item !== 'object' || Object.isFrozen(item)) continue;
    Object.freeze(item);
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push(child);
  }
  if (frozenHere) markDeepFrozen(value as object);
  return value;
}

/**
 * A deep-frozen copy of a JSON value given in code, of the value's own type: a copy without issues
 * holds every field of the value, with the same JSON values, so it is what the type says.
 * @throws WorkflowValidationError for values that are not JSON.
 */
export function frozenJson<T extends object>(path: readonly PathSegment[], value: T): Readonly<T> {
  const copy = copyJson(value, { path, depth: 1, freeze: true });
  if (copy.issues.length > 0) throw new WorkflowValidationError(copy.issues, 'Workflow');
  const clean: unknown = copy.value;
  return clean as Readonly<T>;
}

/** Like {@link frozenJson}, but undefined for an empty object (so it is left out of the document). */
export function filledJson(
  path: readonly PathSegment[],
  value: JsonObject | undefined,
): Readonly<JsonObject> | undefined {
  if (value === undefined) return undefined;
  const copy = frozenJson(path, value);
  return isFilled(copy) ? copy : undefined;
}

/** True for an object with at least one key. */
export function isFilled(value: JsonValue | undefined): value is JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const _ in value) return true;
  return false;
}

const NOT_SCALAR = Symbol('not a scalar');

function copyScalar(value: unknown): JsonValue | typeof NOT_SCALAR {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return NOT_SCALAR;
}

function isPlain(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function setTarget(task: Task, value: JsonValue): void {
  if (Array.isArray(task.target)) task.target[task.key as number] = value;
  else task.target[task.key as string] = value;
}

function expandArray(task: Task, source: unknown[], stack: Task[]): JsonValue[] {
  const target: JsonValue[] = new Array(source.length).fill(null);
  for (let i = source.length - 1; i >= 0; i--) {
    stack.push({ value: source[i], depth: task.depth + 1, parent: task, key: i, target });
  }
  return target;
}

function expandObject(
  task: Task,
  source: object,
  stack: Task[],
  report: (task: Task, code: string, message: string) => void,
): Record<string, JsonValue> {
  const target: Record<string, JsonValue> = {};
  const record = source as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  const children: Task[] = [];
  for (const key of keys) {
    const child: Task = { value: undefined, depth: task.depth + 1, parent: task, key, target };
    if (FORBIDDEN_KEYS.has(key)) {
      report(
        child,
        ErrorCode.KEY_FORBIDDEN,
        `The key "${key}" is not allowed anywhere in a document (prototype pollution).`,
      );
      continue;
    }
    // Reserve the key now so the copy keeps sorted key order whatever order the stack fills it in.
    target[key] = null;
    child.value = record[key];
    children.push(child);
  }
  for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Task);
  return target;
}

function pathOf(task: Task, basePath: readonly PathSegment[]): PathSegment[] {
  const keys: PathSegment[] = [];
  for (let t: Task | undefined = task; t?.parent !== undefined; t = t.parent) keys.push(t.key);
  return [...basePath, ...keys.reverse()];
}

function tooLargeMessage(): string {
  return `The document holds more than ${MAX_NODES.toLocaleString('en-US')} values; split it up.`;
}
