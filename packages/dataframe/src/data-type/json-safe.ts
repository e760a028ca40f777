import type { JsonValue } from '@stepwise/core';

/**
 * A cell value as JSON: bigint becomes a number when it fits exactly (a string otherwise),
 * a Date its ISO string, NaN and ±Infinity null, typed arrays plain arrays.
 */
export function toJsonSafe(value: unknown, depth = 0): JsonValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return bigintToJson(value);
    case 'object':
      return objectToJson(value, depth);
    default:
      return String(value);
  }
}

function bigintToJson(value: bigint): JsonValue {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? asNumber : value.toString();
}

function objectToJson(value: object, depth: number): JsonValue {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  // Deeply nested cells are cut off rather than walked: a preview must stay cheap.
  if (depth > 8) return '…';
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    return Array.from(value as ArrayLike<unknown>, (item) => toJsonSafe(item, depth + 1));
  }
  if (value instanceof Map)
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toJsonSafe(v, depth + 1)]));
  // fromEntries defines own properties: a `__proto__` key stays a key, never the result's prototype
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJsonSafe(item, depth + 1)]));
}
