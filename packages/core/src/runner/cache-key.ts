import { createHash } from 'node:crypto';
import { isPlainObject } from '../model/json.js';
import { stepTypeFingerprint } from '../registry/step-registry.js';
import type { PlannedStep } from './plan.js';

/* The plan-fixed part of `strategy.cache` keys (see step-cache.ts for the whole key). */

/** The part of a step's cache key fixed by its plan, or undefined when the step is not cacheable. */
export function cacheBaseOf(planned: PlannedStep): string | undefined {
  const params = canonicalJson(planned.params);
  if (params === undefined) return undefined;
  const { slug } = planned.stepType;
  try {
    return sha256(`stepwise.cache/1\0${slug}\0${stepTypeFingerprint(planned.stepType)}\0${params}`);
  } catch {
    return undefined; // a definition that cannot be fingerprinted is never cached
  }
}

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
