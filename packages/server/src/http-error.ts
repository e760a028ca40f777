import { type ErrorCategory, errorCategory, StepwiseError, WorkflowValidationError } from '@stepwise/core';

/** The HTTP status of each error category: the column of core's category table (`ERROR_CATEGORIES`). */
export const CATEGORY_STATUS: Readonly<Record<ErrorCategory, number>> = {
  invalid: 400,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unavailable: 503,
  timeout: 504,
  cancelled: 499,
  failed: 500,
  internal: 500,
};

/** An error the API answers with as it is: a status, a stable code, a message and optional JSON. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    code: string,
    message: string,
    extra: { body?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.body = extra.body ?? {};
    this.headers = extra.headers ?? {};
  }
}

/** What an error becomes on the wire: a status and `{ code, message, ... }`, never a stack. */
export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: { code: string; message: string; [field: string]: unknown };
}

/** Fastify's own errors (body parsing and limits) by their code: our status, code and message. */
const FASTIFY_ERRORS: Readonly<Record<string, [number, string, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'BODY_TOO_LARGE', 'The request body is larger than the server accepts.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'CONTENT_TYPE_UNSUPPORTED',
    'The request body must be JSON: send Content-Type: application/json.',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'BODY_INVALID', 'The Content-Length does not match the body.'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'BODY_INVALID', 'The body is empty; send a JSON value.'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'BODY_INVALID', 'The body is not valid JSON.'],
  FST_ERR_BAD_URL: [400, 'URL_INVALID', 'The URL cannot be decoded.'],
  FST_ERR_HANDLER_TIMEOUT: [503, 'TIMEOUT', 'The request took too long.'],
};

/**
 * The reply for any error a handler throws. Messages of core errors pass `scrub` (which takes
 * absolute paths out); anything unexpected is a 500 `INTERNAL` whose message says nothing of it.
 */
export function errorReply(error: unknown, scrub: (text: string) => string): ErrorReply {
  if (error instanceof HttpError)
    return {
      status: error.status,
      headers: error.headers,
      body: { ...error.body, code: error.code, message: scrub(error.message) },
    };
  if (error instanceof WorkflowValidationError)
    return {
      status: 400,
      headers: {},
      body: {
        code: error.code,
        message: scrub(error.message),
        issues: error.issues.map((issue) => ({ code: issue.code, path: issue.path, message: scrub(issue.message) })),
      },
    };
  if (error instanceof StepwiseError) {
    const status = CATEGORY_STATUS[errorCategory(error.code)];
    if (status >= 500 && errorCategory(error.code) !== 'unavailable')
      return { status, headers: {}, body: { code: error.code, message: 'The server could not do it; see its log.' } };
    return { status, headers: {}, body: { code: error.code, message: scrub(error.message) } };
  }
  const code = (error as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' ? FASTIFY_ERRORS[code] : undefined;
  if (known !== undefined) return { status: known[0], headers: {}, body: { code: known[1], message: known[2] } };
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return { status, headers: {}, body: { code: 'REQUEST_INVALID', message: 'The request is not valid.' } };
  return { status: 500, headers: {}, body: { code: 'INTERNAL', message: 'The server failed; see its log.' } };
}

/**
 * Takes absolute paths out of a message: each root given becomes relative (`<root>/data/x.csv` →
 * `data/x.csv`), and any other absolute path `<path>`.
 */
export function pathScrubber(roots: readonly string[]): (text: string) => string {
  const sorted = [...new Set(roots.filter((root) => root.length > 1))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const root of sorted) out = out.split(`${root}/`).join('').split(root).join('.');
    // an absolute path of two segments or more that is not one of the API's own URLs
    return out.replace(
      /(^|[\s"'`(=:])\/(?!api\/)[^\s"'`),;/]+\/[^\s"'`),;]+/g,
      (_match, lead: string) => `${lead}<path>`,
    );
  };
}
