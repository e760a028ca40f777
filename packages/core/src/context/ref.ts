import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../errors/codes.js';
import { describeValue, StepwiseError } from '../errors/stepwise-error.js';
import { REF_PATTERN } from '../model/document.js';

const RUN_ID_PATTERN = /^run_[A-Za-z0-9_-]{1,64}$/;
const CACHE_KEY_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * Random per module instance (process or worker thread), so ids made in different processes
 * sharing a file store never collide; a counter makes each id in this instance unique.
 */
const instanceToken = randomBytes(9).toString('base64url');
let counter = 0;

/** True when `value` is a ref: `ref_` then 8 to 64 URL-safe characters (letters, digits, `_`, `-`). */
export function isRef(value: unknown): value is string {
  return typeof value === 'string' && REF_PATTERN.test(value);
}

/**
 * A new, unique ref. Cheap: a random per-process prefix plus a counter (not cryptographic per call).
 * @example newRef() // 'ref_q3V9xk1LmP0a1'
 */
export function newRef(): string {
  counter += 1;
  return `ref_${instanceToken}${counter.toString(36)}`;
}

/** A unique, file-name-safe token for temporary files (same scheme as {@link newRef}). */
export function uniqueToken(): string {
  counter += 1;
  return `${instanceToken}${counter.toString(36)}`;
}

/**
 * Throws unless `value` is a ref. Stores call this before touching anything.
 * @throws StepwiseError `REF_INVALID`
 */
export function assertRef(value: unknown): asserts value is string {
  if (isRef(value)) return;
  throw new StepwiseError(
    ErrorCode.REF_INVALID,
    `Expected a ref ("ref_" then 8 to 64 letters, digits, "_" or "-"), got ${describeValue(value)}. ` +
      'Use a ref returned by ctx.put().',
    { details: { ref: typeof value === 'string' ? value.slice(0, 200) : describeValue(value) } },
  );
}

/** True when `value` is a run id: `run_` then 1 to 64 letters, digits, `_` or `-`. */
export function isRunId(value: unknown): value is string {
  return typeof value === 'string' && RUN_ID_PATTERN.test(value);
}

/**
 * Throws unless `value` is a run id.
 * @throws StepwiseError `RUN_ID_INVALID`
 */
export function assertRunId(value: unknown): asserts value is string {
  if (isRunId(value)) return;
  throw new StepwiseError(
    ErrorCode.RUN_ID_INVALID,
    `Expected a run id ("run_" then 1 to 64 letters, digits, "_" or "-"), got ${describeValue(value)}.`,
    { details: { runId: typeof value === 'string' ? value.slice(0, 200) : describeValue(value) } },
  );
}

/** True when `value` is a cache key: 16 to 128 letters, digits, `_` or `-` (the runner's are SHA-256 hex). */
export function isCacheKey(value: unknown): value is string {
  return typeof value === 'string' && CACHE_KEY_PATTERN.test(value);
}

/**
 * Throws unless `value` is a cache key. Stores call this before touching anything.
 * @throws StepwiseError `CACHE_KEY_INVALID`
 */
export function assertCacheKey(value: unknown): asserts value is string {
  if (isCacheKey(value)) return;
  throw new StepwiseError(
    ErrorCode.CACHE_KEY_INVALID,
    `Expected a cache key (16 to 128 letters, digits, "_" or "-"), got ${describeValue(value)}.`,
    { details: { key: typeof value === 'string' ? value.slice(0, 200) : describeValue(value) } },
  );
}
