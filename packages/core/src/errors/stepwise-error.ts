import { ErrorCode } from './codes.js';
import { boundedJson, ERROR_LIMITS, ErrorBudget } from './error-bounds.js';

/** An error as plain JSON: how errors cross threads, the queue, the run store and HTTP. */
export interface StepErrorInfo {
  name: string;
  message: string;
  code: string;
  stack?: string;
  /** Extra data the code defines (the ref of a `REF_NOT_FOUND`, the path of a config issue, ...). */
  details?: Record<string, unknown>;
  cause?: StepErrorInfo;
  /** The inner errors of an AggregateError (or any error with an `errors` array). */
  errors?: StepErrorInfo[];
}

/** Options of a {@link StepwiseError}. */
export interface StepwiseErrorOptions {
  /** What caused it (kept as the error's `cause`, normalised by `toStepError`). */
  cause?: unknown;
  /** Extra data the code defines, plain JSON (the ref of a `REF_NOT_FOUND`, ...). */
  details?: Record<string, unknown>;
}

/**
 * The one error class of Stepwise: a message plus a stable `code`.
 * @example throw new StepwiseError('CONFIG_INVALID', 'steps[1].config.threshold: expected a number')
 */
export class StepwiseError extends Error {
  /** Stable, SCREAMING_SNAKE (see {@link ErrorCode}): match on it, never on the message. */
  readonly code: string;
  /** Extra data the code defines, or undefined. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, options: StepwiseErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StepwiseError';
    this.code = code;
    this.details = options.details;
  }

  /** This error as plain JSON ({@link StepErrorInfo}). */
  toJSON(): StepErrorInfo {
    return toStepError(this);
  }
}

/** A ref that the runtime context does not hold. Carries the `ref`. */
export class RefNotFoundError extends StepwiseError {
  readonly ref: string;
  constructor(ref: string) {
    super(ErrorCode.REF_NOT_FOUND, `Ref "${ref}" is not in the runtime context (never written, or deleted).`, {
      details: { ref },
    });
    this.name = 'RefNotFoundError';
    this.ref = ref;
  }
}

/** A step that failed in a run. Carries the `runId` and `stepId`; `cause` is the step's own error. */
export class StepFailedError extends StepwiseError {
  readonly runId: string;
  readonly stepId: string;
  constructor(runId: string, stepId: string, error: StepErrorInfo) {
    super(error.code, `Step "${stepId}" failed: ${error.message}`, { cause: error, details: { runId, stepId } });
    this.name = 'StepFailedError';
    this.runId = runId;
    this.stepId = stepId;
  }
}

/**
 * Normalises anything thrown (an Error, `null`, a string, a circular object, an object whose
 * getters throw) into a {@link StepErrorInfo}, bounded: message, stack and details are cut to 16 KiB
 * each and the whole error, causes and inner errors included, to 64 KiB, with a marker saying how
 * much was cut (`… [cut 52,428,800 characters]`); 5 causes and 10 inner errors are kept, the rest
 * counted by a marker. Every writer of an error (a step's record, events, threads, the CLI) goes
 * through it. Never throws.
 */
export function toStepError(thrown: unknown, fallbackCode: string = ErrorCode.UNKNOWN_ERROR): StepErrorInfo {
  return normalise(thrown, fallbackCode, { depth: 0, budget: new ErrorBudget() });
}

interface Walk {
  depth: number;
  budget: ErrorBudget;
}

function normalise(thrown: unknown, fallbackCode: string, walk: Walk): StepErrorInfo {
  const { budget } = walk;
  try {
    if (thrown instanceof Error || isErrorLike(thrown)) {
      const source = thrown as Error & { code?: unknown; details?: unknown; errors?: unknown };
      const info: StepErrorInfo = {
        name: budget.take(
          safeString(
            safeRead(() => source.name),
            'Error',
          ),
          ERROR_LIMITS.name,
        ),
        message: budget.take(
          safeString(
            safeRead(() => source.message),
            '',
          ),
        ),
        code: safeRead(() => (isCode(source.code) ? source.code : fallbackCode)) ?? fallbackCode,
      };
      const stack = safeRead(() => source.stack);
      if (typeof stack === 'string') info.stack = budget.take(stack);
      const details = safeRead(() => source.details);
      if (details && typeof details === 'object')
        info.details = boundedJson(details, budget) as Record<string, unknown>;
      const inner = safeRead(() => source.errors);
      if (Array.isArray(inner) && inner.length > 0) info.errors = innerErrors(inner, walk);
      const cause = safeRead(() => source.cause);
      if (cause !== undefined) info.cause = causeOf(cause, walk);
      return info;
    }
    return {
      name: 'NonErrorThrown',
      message: `A non-Error value was thrown: ${describeValue(thrown)}`,
      code: fallbackCode,
    };
  } catch {
    return { name: 'NonErrorThrown', message: 'A value was thrown that could not be inspected.', code: fallbackCode };
  }
}

function causeOf(cause: unknown, walk: Walk): StepErrorInfo {
  if (walk.depth < ERROR_LIMITS.causeDepth && walk.budget.roomy)
    return normalise(cause, ErrorCode.UNKNOWN_ERROR, { ...walk, depth: walk.depth + 1 });
  return cutMarkerOf(cause) ?? cutError(`… [cut ${countCauses(cause)} more causes]`);
}

function innerErrors(inner: readonly unknown[], walk: Walk): StepErrorInfo[] {
  const kept: StepErrorInfo[] = [];
  for (const error of inner) {
    if (kept.length === ERROR_LIMITS.innerErrors || !walk.budget.roomy || walk.depth >= ERROR_LIMITS.causeDepth) break;
    kept.push(normalise(error, ErrorCode.UNKNOWN_ERROR, { ...walk, depth: walk.depth + 1 }));
  }
  const left = inner.length - kept.length;
  // an error bounded before (on a thread) ends with its marker: keep it as it counts
  const marker = left === 1 ? cutMarkerOf(inner[kept.length]) : undefined;
  if (left > 0) kept.push(marker ?? cutError(`… [cut ${left} more errors]`));
  return kept;
}

/** The marker {@link cutError} made, when `value` is one (an error bounded before, rebuilt). */
function cutMarkerOf(value: unknown): StepErrorInfo | undefined {
  const marker = value as { name?: unknown; message?: unknown; cause?: unknown } | null;
  const message = safeRead(() => marker?.message);
  if (safeRead(() => marker?.name) !== 'Cut' || typeof message !== 'string') return undefined;
  return message.length < 100 && message.startsWith('… [cut ') ? cutError(message) : undefined;
}

/** The marker standing for causes or inner errors that were not kept. */
function cutError(message: string): StepErrorInfo {
  return { name: 'Cut', message, code: ErrorCode.UNKNOWN_ERROR };
}

/** How long a cause chain is (`1` for a lone cause), counted up to 10,000 and stopping at a cycle. */
function countCauses(cause: unknown): string {
  const seen = new Set<unknown>();
  let current = cause;
  while (current !== undefined && !seen.has(current) && seen.size < 10_000) {
    seen.add(current);
    current = safeRead(() => (current as { cause?: unknown }).cause);
  }
  return seen.size >= 10_000 ? 'at least 10,000' : seen.size.toLocaleString('en-US');
}

/** Rebuilds a {@link StepwiseError} from plain JSON (the other side of a thread or the queue). */
export function fromStepError(info: StepErrorInfo): StepwiseError {
  const error = new StepwiseError(info.code, info.message, {
    ...(info.details ? { details: info.details } : {}),
    ...(info.cause ? { cause: fromStepError(info.cause) } : {}),
  });
  error.name = info.name;
  if (info.stack) error.stack = info.stack;
  if (info.errors) Object.assign(error, { errors: info.errors.map(fromStepError) });
  return error;
}

function isErrorLike(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  return safeRead(() => typeof (value as { message?: unknown }).message === 'string') === true;
}

function isCode(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 64 && /^[A-Z][A-Z0-9_]*$/.test(value);
}

function safeRead<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function safeString(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** A short, safe description of any value: never calls user code that may throw twice. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
  if (typeof value !== 'object' && typeof value !== 'function') return String(value);
  if (typeof value === 'function') return `a function ${value.name || '(anonymous)'}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  const name = safeRead(() => proto?.constructor?.name);
  return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
}
