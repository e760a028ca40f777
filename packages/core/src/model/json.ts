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
