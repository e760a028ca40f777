import type { Catalog, RunEvent } from '@stepwise/core/model';
import { SseParser } from './event-stream.js';
import {
  ApiError,
  type DataPage,
  type DownloadFormat,
  type Plan,
  type QueuedRun,
  type RefInfo,
  type RunDetail,
  type RunPage,
  type RunQuery,
  type RunRequest,
  SaveConflictError,
  type SavedWorkflow,
  type StartedRun,
  type StepwiseApi,
  type Unsubscribe,
  type Validation,
  type WorkflowSummary,
} from './types.js';

/** Where the server is and how to reach it. */
export interface HttpApiOptions {
  /** The server's URL (`http://127.0.0.1:3000`); by default the page's own origin (relative URLs). */
  baseUrl?: string;
  /** Sent as `Authorization: Bearer <token>` when the server requires one. */
  token?: string;
  /** The fetch to use (the global one by default). */
  fetch?: typeof fetch;
}

interface Request {
  body?: unknown;
  headers?: Record<string, string>;
}

/** Events that end a run's stream. */
const LAST_EVENTS = new Set<RunEvent['type']>(['run.completed', 'run.failed', 'run.cancelled']);
/** Before reconnecting a stream that broke off mid-run. */
const RECONNECT_MS = 1000;

/**
 * The editor's API over HTTP: every method of {@link StepwiseApi} as one `fetch` to the server's
 * `/api`; an answer that is not a success becomes an {@link ApiError} with the server's
 * `{ code, message }`, a save over a newer version a {@link SaveConflictError} with both versions.
 * @example
 * const api = createHttpApi(); // the server that served the page
 * const saved = await api.getWorkflow('sales');
 */
export function createHttpApi(options: HttpApiOptions = {}): StepwiseApi {
  const base = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
  const auth: Record<string, string> = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };

  async function send(method: string, path: string, request: Request = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...auth, ...request.headers };
    let body: string | undefined;
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.body);
    }
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    } catch (error) {
      throw new ApiError(
        0,
        'NETWORK_ERROR',
        `Cannot reach the Stepwise server${base ? ` at ${base}` : ''}: ${(error as Error).message}.`,
      );
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  async function json<T>(method: string, path: string, request?: Request): Promise<T> {
    return (await (await send(method, path, request)).json()) as T;
  }

  const workflow = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;
  const run = (id: string) => `/api/runs/${encodeURIComponent(id)}`;
  const data = (ref: string) => `/api/data/${encodeURIComponent(ref)}`;

  return {
    catalog: () => json<Catalog>('GET', '/api/catalog'),
    listWorkflows: async () => (await json<{ workflows: WorkflowSummary[] }>('GET', '/api/workflows')).workflows,
    getWorkflow: (id) => json<SavedWorkflow>('GET', workflow(id)),
    createWorkflow: (document) => json<SavedWorkflow>('POST', '/api/workflows', { body: document }),
    async saveWorkflow(id, document, etag) {
      try {
        return await json<SavedWorkflow>('PUT', workflow(id), { body: document, headers: { 'if-match': etag } });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'WORKFLOW_CONFLICT') {
          const theirs = error.details.theirs as SavedWorkflow;
          throw new SaveConflictError(error.message, document, theirs);
        }
        throw error;
      }
    },
    renameWorkflow: (id, newId, etag) =>
      json<SavedWorkflow>('POST', `${workflow(id)}/rename`, { body: { id: newId }, headers: { 'if-match': etag } }),
    async deleteWorkflow(id, etag) {
      await send('DELETE', workflow(id), { headers: { 'if-match': etag } });
    },
    validate: (document) => json<Validation>('POST', '/api/validate', { body: document }),
    plan: (document, resume, reuse) => json<Plan>('POST', `/api/plan${planQuery(resume, reuse)}`, { body: document }),
    startRun: (request: RunRequest) => json<StartedRun>('POST', '/api/runs', { body: request }),
    listRuns: (query: RunQuery) => json<RunPage>('GET', `/api/runs${queryString(query)}`),
    getRun: (runId) => json<RunDetail | QueuedRun>('GET', run(runId)),
    async cancelRun(runId) {
      await send('POST', `${run(runId)}/cancel`);
    },
    resumeRun: (runId, document) =>
      json<StartedRun>('POST', `${run(runId)}/resume`, { body: document === undefined ? {} : { document } }),
    followRun(runId, onEvent, followOptions = {}): Unsubscribe {
      const controller = new AbortController();
      let seq = followOptions.afterSeq ?? 0;
      let ended = false;
      const end = (error?: ApiError) => {
        if (ended) return;
        ended = true;
        followOptions.onEnd?.(error);
      };
      const connect = async (): Promise<void> => {
        let heard = false;
        let last = false;
        try {
          const response = await send('GET', `${run(runId)}/events`, {
            headers: { accept: 'text/event-stream', ...(seq > 0 ? { 'last-event-id': String(seq) } : {}) },
          });
          await readEvents(response, controller.signal, (event) => {
            heard = true;
            seq = Math.max(seq, event.seq);
            if (LAST_EVENTS.has(event.type)) last = true;
            onEvent(event);
          });
        } catch (error) {
          if (controller.signal.aborted) return end();
          // a refusal (404, 429...) is final; a stream cut off after events reconnects below
          if (error instanceof ApiError || !heard) return end(asApiError(error));
        }
        if (controller.signal.aborted || last || !heard) return end();
        // the stream broke off mid-run: pick up after the last event seen
        setTimeout(() => {
          if (!controller.signal.aborted) void connect();
        }, RECONNECT_MS);
      };
      void connect();
      return () => {
        controller.abort();
        end();
      };
    },
    refInfo: (ref) => json<RefInfo>('GET', data(ref)),
    dataPage: (ref, offset, limit) => json<DataPage>('GET', `${data(ref)}/rows?offset=${offset}&limit=${limit}`),
    downloadUrl: (ref: string, format: DownloadFormat) => `${base}${data(ref)}/download?format=${format}`,
    download: async (ref, format) =>
      (await send('GET', `${data(ref)}/download?format=${format}`, { headers: { accept: '*/*' } })).blob(),
  };

  /** Reads an event stream to its end (or until `signal` aborts), each `data:` as a run event. */
  async function readEvents(response: Response, signal: AbortSignal, onEvent: (event: RunEvent) => void) {
    if (response.body === null) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const stop = () => void reader.cancel().catch(() => undefined);
    signal.addEventListener('abort', stop, { once: true });
    const parser = new SseParser();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done || signal.aborted) return;
        for (const message of parser.push(value)) onEvent(JSON.parse(message.data) as RunEvent);
      }
    } finally {
      signal.removeEventListener('abort', stop);
    }
  }
}

function planQuery(resume: string | undefined, reuse: string | undefined): string {
  if (resume !== undefined) return `?resume=${encodeURIComponent(resume)}`;
  return reuse === undefined ? '' : `?reuse=${encodeURIComponent(reuse)}`;
}

function queryString(query: RunQuery): string {
  const params = new URLSearchParams();
  if (query.workflowId !== undefined) params.set('workflowId', query.workflowId);
  if (query.status !== undefined)
    params.set('status', typeof query.status === 'string' ? query.status : query.status.join(','));
  if (query.cursor !== undefined) params.set('cursor', query.cursor);
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** The error of an answer that is not a success: the server's `{ code, message }`, or what the status says. */
async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const retryAfter = response.headers.get('retry-after');
  const extra = retryAfter === null ? {} : { retryAfter: Number(retryAfter) };
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const { code, message, ...rest } = body as Record<string, unknown>;
    if (typeof code === 'string' && typeof message === 'string')
      return new ApiError(response.status, code, message, { ...rest, ...extra });
  }
  const said = text.trim().slice(0, 200);
  return new ApiError(
    response.status,
    `HTTP_${response.status}`,
    `The server answered ${response.status} ${response.statusText}${said ? `: ${said}` : ''}.`,
    extra,
  );
}

function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'NETWORK_ERROR', `The run's event stream failed: ${(error as Error).message}.`);
}
