import { createHash } from 'node:crypto';
import { isPlainObject } from '../model/json.js';

/** The SHA-256 of `text`, as hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * JSON with object keys sorted, so equal params give equal text; a Date becomes `date("<ISO>")`
 * (not JSON, so it equals no JSON value). Undefined for anything JSON cannot represent faithfully.
 */
export function canonicalJson(value: unknown): string | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : undefined;
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? undefined : `date(${JSON.stringify(value.toISOString())})`;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const text = canonicalJson(item);
      if (text === undefined) return undefined;
      items.push(text);
    }
    return `[${items.join(',')}]`;
  }
  if (!isPlainObject(value)) return undefined;
  const fields: string[] = [];
  for (const name of Object.keys(value).sort()) {
    if (value[name] === undefined) continue;
    const text = canonicalJson(value[name]);
    if (text === undefined) return undefined;
    fields.push(`${JSON.stringify(name)}:${text}`);
  }
  return `{${fields.join(',')}}`;
}
