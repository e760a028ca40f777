import { type ValidationIssue, WorkflowValidationError } from '@stepwise/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError } from './http-error.js';

/** What a handler receives: the checked params, query and body, and Fastify's request and reply. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  request: FastifyRequest;
  reply: FastifyReply;
}

/** One endpoint: its zod schemas (checked on every request, and the OpenAPI document's source) and handler. */
export interface ApiRoute<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Fastify's form: `/api/runs/:id`. */
  url: string;
  summary: string;
  /** Which group of the OpenAPI document. */
  tag: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The JSON Schema of the body, when the zod schema does not say it (a workflow document). */
  bodyJsonSchema?: Record<string, unknown>;
  /** The success status (200) and its JSON body, or a description of a body that is not JSON. */
  status?: number;
  response?: z.ZodType;
  produces?: string;
  /** True when the handler reports a body's duplicate keys itself (validation); else such a body is refused. */
  keepsDuplicateKeys?: boolean;
  handler(input: RouteInput<P, Q, B>): Promise<unknown>;
}

/**
 * Declares a route, with the types of its handler's input taken from the schemas: the route it answers
 * checks the params, query and body against them before its handler runs.
 */
export function route<P = undefined, Q = undefined, B = undefined>(spec: ApiRoute<P, Q, B>): ApiRoute {
  const { params, query, body, handler } = spec;
  return {
    ...spec,
    handler: (input) =>
      handler({
        ...input,
        params: checkInput(params, input.params, 'params'),
        query: checkInput(query, input.query, 'query'),
        body: checkInput(body, input.body, 'body'),
      }),
  };
}

/**
 * Checks a part of the request against its schema.
 * @throws HttpError 400 `FIELD_UNKNOWN` for a field a client may not set, `FIELD_INVALID` naming the field otherwise
 */
export function checkInput<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (schema === undefined) return undefined as T;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0] as z.core.$ZodIssue;
  const field = [where, ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    throw new HttpError(400, 'FIELD_UNKNOWN', `${field}: ${keys} may not be set here.`, {
      body: { field, keys: issue.keys },
    });
  }
  throw new HttpError(400, 'FIELD_INVALID', `${field}: ${issue.message}.`, { body: { field } });
}

/** Registers every route on `app`, each checking its input before its handler runs. */
export function mountRoutes(app: FastifyInstance, routes: readonly ApiRoute[]): void {
  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      handler: async (request, reply) => {
        const duplicates = duplicateKeysOf(request);
        // a key twice in one object is refused as parseWorkflow refuses it: JSON.parse would keep the last silently
        if (duplicates.length > 0 && spec.keepsDuplicateKeys !== true) throw new WorkflowValidationError(duplicates);
        // route() made the handler check its input against the schemas
        const { params, query, body } = request;
        const result = await spec.handler({ params, query, body, request, reply });
        if (spec.status !== undefined && reply.statusCode === 200) reply.code(spec.status);
        return result;
      },
    });
  }
}

/** The duplicate keys of each request's JSON body, while the request lives. */
const duplicateKeys = new WeakMap<FastifyRequest, ValidationIssue[]>();

/** Notes the duplicate keys of a request's JSON body (the body parser finds them in the text). */
export function noteDuplicateKeys(request: FastifyRequest, issues: ValidationIssue[]): void {
  if (issues.length > 0) duplicateKeys.set(request, issues);
}

/** The duplicate keys of a request's JSON body, as `DUPLICATE_KEY` issues. */
export function duplicateKeysOf(request: FastifyRequest): ValidationIssue[] {
  return duplicateKeys.get(request) ?? [];
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: { type: 'string' }, message: { type: 'string' } },
  additionalProperties: true,
};

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** The OpenAPI 3.1 document of `routes`, generated from the same zod schemas that check requests. */
export function openApiDocument(routes: readonly ApiRoute[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = spec.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')];
    const operation: Record<string, unknown> = {
      summary: spec.summary,
      tags: [spec.tag],
      ...(parameters.length > 0 ? { parameters } : {}),
      responses: {
        [String(spec.status ?? 200)]: {
          description: 'Success',
          ...(spec.response !== undefined
            ? { content: { 'application/json': { schema: jsonSchema(spec.response, 'output') } } }
            : spec.produces !== undefined
              ? { content: { [spec.produces]: {} } }
              : {}),
        },
        default: { description: 'An error', content: { 'application/json': { schema: ERROR_SCHEMA } } },
      },
    };
    const body = spec.bodyJsonSchema ?? (spec.body === undefined ? undefined : jsonSchema(spec.body, 'input'));
    if (body !== undefined)
      operation.requestBody = { required: true, content: { 'application/json': { schema: body } } };
    paths[path] = { ...paths[path], [spec.method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Stepwise server', version },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!(schema instanceof z.ZodObject)) return [];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !field.safeParse(undefined).success,
    schema: jsonSchema(field, 'input'),
  }));
}
