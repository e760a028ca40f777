import { ErrorCode } from './codes.js';

/** An error as plain JSON: how errors cross threads, the queue, the run store and HTTP. */
export interface StepErrorInfo {
  name: string;
  message: string;
  code: string;
  stack?: string;
  /** Extra data the code defines (the ref of a `REF_NOT_FOUND`, the path of a config issue, ...). */
  details?: Record<string, unknown>;
  cause?: StepErrorInfo;
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

const MAX_CAUSE_DEPTH = 5;

/**
 * Normalises anything thrown (an Error, `null`, a string, a circular object, an object whose
 * getters throw) into a {@link StepErrorInfo}. Never throws.
 */
export function toStepError(thrown: unknown, fallbackCode: string = ErrorCode.UNKNOWN_ERROR): StepErrorInfo {
  return normalise(thrown, fallbackCode, 0);
}

function normalise(thrown: unknown, fallbackCode: string, depth: number): StepErrorInfo {
  try {
    if (thrown instanceof Error || isErrorLike(thrown)) {
      const source = thrown as Error & { code?: unknown; details?: unknown };
      const info: StepErrorInfo = {
        name: safeString(source.name, 'Error'),
        message: safeString(source.message, ''),
        code: isCode(source.code) ? source.code : fallbackCode,
      };
      const stack = safeRead(() => source.stack);
      if (typeof stack === 'string') info.stack = stack;
      const details = safeRead(() => source.details);
      if (details && typeof details === 'object') info.details = plainDetails(details);
      const cause = safeRead(() => source.cause);
      if (cause !== undefined && depth < MAX_CAUSE_DEPTH)
        info.cause = normalise(cause, ErrorCode.UNKNOWN_ERROR, depth + 1);
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

/** Rebuilds a {@link StepwiseError} from plain JSON (the other side of a thread or the queue). */
export function fromStepError(info: StepErrorInfo): StepwiseError {
  const error = new StepwiseError(info.code, info.message, {
    ...(info.details ? { details: info.details } : {}),
    ...(info.cause ? { cause: fromStepError(info.cause) } : {}),
  });
  error.name = info.name;
  if (info.stack) error.stack = info.stack;
  return error;
}

function isErrorLike(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  return safeRead(() => typeof (value as { message?: unknown }).message === 'string') === true;
}

function isCode(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Z][A-Z0-9_]*$/.test(value);
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

function plainDetails(details: object): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
  } catch {
    return {};
  }
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
