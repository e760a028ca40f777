import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { findDuplicateKeys, RuntimeContext, WorkflowRunner } from '@stepwise/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { type ApiRoute, mountRoutes, noteDuplicateKeys, openApiDocument, route } from './api-route.js';
import { errorReply, HttpError, pathScrubber } from './http-error.js';
import { limitsOf, type ServerOptions } from './options.js';
import { openServerProject, type ServerProject } from './project.js';
import { catalogRoutes } from './routes/catalog-routes.js';
import { dataRoutes } from './routes/data-routes.js';
import { documentRoutes } from './routes/document-routes.js';
import { eventRoutes } from './routes/event-routes.js';
import { runRoutes } from './routes/run-routes.js';
import { workflowRoutes } from './routes/workflow-routes.js';
import { LazyPages } from './runs/lazy-pages.js';
import { LazyRows } from './runs/lazy-rows.js';
import { RunManager } from './runs/run-manager.js';
import { StreamSlots } from './runs/stream-slots.js';
import { checkRequest, EDITOR_FILE, guardOf, hardenReply, isLoopback } from './security.js';
import type { ServerState } from './state.js';
import { WorkflowFiles } from './workflow-files.js';

/** A server made by {@link createServer}: listen, then close. */
export interface StepwiseServer {
  /** The Fastify instance (for `inject` in tests, or more routes when embedding). */
  readonly app: FastifyInstance;
  readonly project: ServerProject;
  /** `http://127.0.0.1:<port>` once listening. */
  readonly url: string | undefined;
  /** Starts listening on the host and port of the options; answers the URL. */
  listen(): Promise<string>;
  /** Stops taking requests, cancels the runs it executes (their records say so), and closes. */
  close(): Promise<void>;
}

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

/**
 * Makes the Stepwise server for a project: the API under `/api` (see `GET /api/openapi.json`) and
 * the editor's files at `/`. Binds 127.0.0.1 unless told otherwise; any other host needs a token.
 * @example
 * const server = await createServer({ cwd: '/my/project', port: 3000 });
 * console.log(await server.listen());
 * @throws Error when `host` is not loopback and no `token` is given; StepwiseError `CONFIG_LOAD_FAILED`
 */
export async function createServer(options: ServerOptions = {}): Promise<StepwiseServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token === '' ? undefined : options.token;
  if (!isLoopback(host) && token === undefined)
    throw new Error(
      `Refusing to listen on ${host} without a token: anyone who reaches it could run workflows. Give one (--token-file), or bind 127.0.0.1.`,
    );
  const limits = limitsOf(options);
  const project = await openServerProject(options);
  const { config } = project;
  const scrub = pathScrubber([config.root, config.dataRoot, config.store, project.workflowsDir, homedir(), tmpdir()]);
  const runner = new WorkflowRunner({
    registry: project.registry,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    // worker threads (heavy steps, strategy.workers) import the same step modules
    stepModules: config.steps,
    root: config.root,
    ...(options.executors === undefined ? {} : { executors: options.executors }),
  });
  // a lazy value whose query runs (for a later step, a page, a download) has its rows counted and recorded
  const lazyRows = new LazyRows(project.store.values, options.logger);
  const context = new RuntimeContext({ store: lazyRows.watch(project.store), registry: project.registry });
  const runs = new RunManager({ runner, context, ...limits, ...(options.logger ? { logger: options.logger } : {}) });
  const state: ServerState = {
    project,
    files: new WorkflowFiles(project.workflowsDir, project.registry),
    runner,
    context,
    runs,
    lazyRows,
    lazyPages: new LazyPages(limits.previewCacheCells),
    streams: new StreamSlots(limits.maxEventStreams, limits.maxEventStreamsPerClient),
    limits,
    version: VERSION,
    startedAt: Date.now(),
    scrub,
  };
  const guard = guardOf({ host, token, allowedHosts: options.allowedHosts, allowedOrigins: options.allowedOrigins });
  const app = Fastify({
    logger: false,
    bodyLimit: limits.bodyLimit,
    requestTimeout: limits.requestTimeout,
    connectionTimeout: limits.idleTimeout,
    keepAliveTimeout: 5_000,
    // the request and header timeouts are checked this often (Node's default, 30 s, would let them run long)
    http: { maxHeaderSize: limits.maxHeaderSize, connectionsCheckingInterval: 1_000 },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    clientErrorHandler: clientError,
  });
  app.server.headersTimeout = limits.headersTimeout;
  // JSON bodies only: text/plain (Fastify's other default) is refused with 415. JSON is read as
  // parseWorkflow reads a document: a leading BOM ignored, a key twice in one object noted (and
  // refused, see mountRoutes), __proto__ and constructor.prototype refused.
  app.removeContentTypeParser(['text/plain', 'application/json']);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = (body as string).charCodeAt(0) === 0xfeff ? (body as string).slice(1) : (body as string);
    parseJson(request, text, (error, value) => {
      if (error === null) noteDuplicateKeys(request, findDuplicateKeys(text));
      done(error, value);
    });
  });
  app.addHook('onRequest', async (request, reply) => {
    hardenReply(reply);
    checkRequest(guard, request);
  });
  app.setErrorHandler((error, _request, reply) => {
    const answer = errorReply(error, scrub);
    if (answer.status >= 500) options.logger?.error({ err: error }, 'request failed');
    void reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ code: 'NOT_FOUND', message: `No ${request.method} ${request.url.split('?')[0]}.` });
  });
  const routes: ApiRoute[] = [
    ...catalogRoutes(state),
    ...documentRoutes(state),
    ...workflowRoutes(state),
    ...runRoutes(state),
    ...eventRoutes(state),
    ...dataRoutes(state),
  ];
  const openapi = openApiDocument(
    [
      ...routes,
      route({
        method: 'GET',
        url: '/api/openapi.json',
        tag: 'catalog',
        summary: 'This document.',
        handler: async () => ({}),
      }),
    ],
    VERSION,
  );
  routes.push(
    route({
      method: 'GET',
      url: '/api/openapi.json',
      tag: 'catalog',
      summary: 'The OpenAPI document of this API, generated from the schemas that check each request.',
      handler: async () => openapi,
    }),
  );
  mountRoutes(app, routes);
  if (project.uiDir !== undefined) {
    const { default: serveStatic } = await import('@fastify/static');
    const root = project.uiDir;
    // in a context of their own, so only the editor's file routes are marked (see checkRequest)
    await app.register(async (files) => {
      files.addHook('onRoute', (options) => {
        options.config = { ...options.config, [EDITOR_FILE]: true };
      });
      await files.register(serveStatic, { root, prefix: '/', index: ['index.html'], dotfiles: 'deny' });
    });
  }

  let url: string | undefined;
  return {
    app,
    project,
    get url() {
      return url;
    },
    async listen() {
      await app.listen({ host, port: options.port ?? 0 });
      const address = app.server.address() as AddressInfo;
      guard.port = address.port;
      url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
      return url;
    },
    async close() {
      await runs.close();
      await app.close();
      await project.close();
    },
  };
}

/** Errors of the HTTP parser (before routing): 431 for headers too large, 408 for a slow request, else 400. */
function clientError(error: NodeJS.ErrnoException, socket: import('node:net').Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return;
  const [status, text, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [
          431,
          'Request Header Fields Too Large',
          'HEADERS_TOO_LARGE',
          'The request headers are larger than the server accepts.',
        ]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'REQUEST_TIMEOUT', 'The request took too long to arrive.']
        : [400, 'Bad Request', 'REQUEST_INVALID', 'The request could not be parsed.'];
  const body = JSON.stringify({ code, message });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export { HttpError };
