/** A JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** True for a plain object (`{}` or `Object.create(null)`), false for arrays, class instances and null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** JSON values deep-frozen by the document code: they never change, so a store may keep them by reference. */
const deepFrozen = new WeakSet<object>();

/** Records that `value` and everything in it are frozen JSON (called by the one function that deep-freezes). */
export function markDeepFrozen(value: object): void {
  deepFrozen.add(value);
}

/** True for a JSON value that {@link markDeepFrozen} recorded: it and everything in it never change. */
export function isDeepFrozen(value: unknown): boolean {
  return value !== null && typeof value === 'object' && deepFrozen.has(value);
}

/** Levels of arrays and objects a JSON value may nest (JSON data in the stores, not documents). */
export const JSON_MAX_DEPTH = 256;

/** The first part of a value that is not plain JSON: where (`$.rows[3].at`) and what it is (`a Date`). */
export interface JsonProblem {
  /** From the value's root `$`: `.key` (or `["odd key"]`) and `[index]`. */
  path: string;
  /** What was found there, e.g. `a Map`, `NaN`, `a cycle (it contains itself)`. */
  found: string;
}

/** A problem found below the root: the keys from the root (built on the way back up), and what was found. */
interface Found {
  keys: (string | number)[];
  found: string;
}

/**
 * The first part of `value` that is not plain JSON (null, booleans, finite numbers, strings, arrays
 * and plain objects, no cycles, at most {@link JSON_MAX_DEPTH} levels), or undefined when it all is.
 * The one check of the JSON data type, the same for every store. Recursion is bounded by the depth
 * limit; never throws (a getter that throws is a problem). Symbol keys and non-enumerable properties are not JSON's and are ignored, as
 * `JSON.stringify` does. A sub-object shared by several parents is checked under each, as it is written.
 */
export function jsonProblem(value: unknown): JsonProblem | undefined {
  const ancestors: object[] = [];
  const found = check(value, ancestors);
  return found === undefined ? undefined : { path: pathText(found.keys.reverse()), found: found.found };
}

function check(value: unknown, ancestors: object[]): Found | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { keys: [], found: String(value) };
  if (typeof value !== 'object') return { keys: [], found: scalarName(value) };
  if (isDeepFrozen(value)) return undefined;
  const isArray = Array.isArray(value);
  if (!isArray && !isPlainObject(value)) return { keys: [], found: instanceName(value) };
  if (ancestors.includes(value)) return { keys: [], found: 'a cycle (a value that contains itself)' };
  if (ancestors.length >= JSON_MAX_DEPTH)
    return { keys: [], found: `a value nested more than ${JSON_MAX_DEPTH} levels deep` };
  ancestors.push(value);
  let found: Found | undefined;
  try {
    found = isArray ? checkArray(value as unknown[], ancestors) : checkObject(value, ancestors);
  } catch {
    found = { keys: [], found: 'an object whose properties cannot be read' };
  }
  ancestors.pop();
  return found;
}

function checkArray(array: readonly unknown[], ancestors: object[]): Found | undefined {
  const length = array.length;
  for (let i = 0; i < length; i++) {
    const item = array[i];
    // a cheap test first: most items of a big array are numbers or strings
    if (typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item))) continue;
    const found = check(item, ancestors);
    if (found !== undefined) {
      found.keys.push(i);
      return found;
    }
  }
  return undefined;
}

function checkObject(object: object, ancestors: object[]): Found | undefined {
  const record = object as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item))) continue;
    const found = check(item, ancestors);
    if (found !== undefined) {
      found.keys.push(key);
      return found;
    }
  }
  return undefined;
}

function scalarName(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return 'a BigInt';
  if (typeof value === 'symbol') return 'a symbol';
  return 'a function';
}

function instanceName(value: object): string {
  try {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object with a prototype';
  } catch {
    return 'an object that cannot be inspected';
  }
}

function pathText(keys: readonly (string | number)[]): string {
  let text = '$';
  for (const key of keys) {
    if (typeof key === 'number') text += `[${key}]`;
    else {
      const shown = key.length > 100 ? `${key.slice(0, 100)}…` : key;
      text += /^[A-Za-z_$][\w$]*$/.test(shown) ? `.${shown}` : `[${JSON.stringify(shown)}]`;
    }
  }
  return text;
}
