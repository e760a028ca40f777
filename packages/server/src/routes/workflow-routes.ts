import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type ApiRoute, route } from '../api-route.js';
import { renameRequest, savedWorkflowSchema, workflowIdParams } from '../schemas.js';
import type { ServerState } from '../state.js';
import type { SavedWorkflow } from '../workflow-files.js';
import { issueJson } from './document-routes.js';

const summarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  steps: z.number(),
  updatedAt: z.string(),
});

/** The saved workflows: list, get, create, save, rename, delete; every change checks `If-Match`. */
export function workflowRoutes(state: ServerState): ApiRoute[] {
  const { files } = state;
  const answer = (reply: FastifyReply, saved: SavedWorkflow) => {
    reply.header('etag', saved.etag);
    return { ...saved, issues: saved.issues.map((issue) => issueJson(issue, state.scrub)) };
  };
  const ifMatch = (request: FastifyRequest) => {
    const header = request.headers['if-match'];
    return typeof header === 'string' ? header : undefined;
  };
  return [
    route({
      method: 'GET',
      url: '/api/workflows',
      tag: 'workflows',
      summary: 'The saved workflows (files in the workflows folder).',
      response: z.object({ workflows: z.array(summarySchema) }),
      handler: async () => ({ workflows: files.list() }),
    }),
    route({
      method: 'GET',
      url: '/api/workflows/:id',
      tag: 'workflows',
      summary: 'A saved workflow: its document and issues; the ETag header is its version, for If-Match.',
      params: workflowIdParams,
      response: savedWorkflowSchema,
      handler: async ({ params, reply }) => answer(reply, files.get(params.id)),
    }),
    route({
      method: 'POST',
      url: '/api/workflows',
      tag: 'workflows',
      summary:
        'Saves a new workflow under its document id (409 when the id is taken); a document with issues is saved and its issues returned.',
      body: z.unknown(),
      status: 201,
      response: savedWorkflowSchema,
      handler: async ({ body, reply }) => answer(reply, files.create(body)),
    }),
    route({
      method: 'PUT',
      url: '/api/workflows/:id',
      tag: 'workflows',
      summary:
        'Saves a workflow over its last version: If-Match is required (428 without); 409 with both versions (mine, theirs) when the file changed since.',
      params: workflowIdParams,
      body: z.unknown(),
      response: savedWorkflowSchema,
      handler: async ({ params, body, request, reply }) => answer(reply, files.save(params.id, body, ifMatch(request))),
    }),
    route({
      method: 'POST',
      url: '/api/workflows/:id/rename',
      tag: 'workflows',
      summary: 'Renames a workflow (its file and its document id), with If-Match.',
      params: workflowIdParams,
      body: renameRequest,
      response: savedWorkflowSchema,
      handler: async ({ params, body, request, reply }) =>
        answer(reply, files.rename(params.id, body.id, ifMatch(request))),
    }),
    route({
      method: 'DELETE',
      url: '/api/workflows/:id',
      tag: 'workflows',
      summary: 'Deletes a saved workflow, with If-Match.',
      params: workflowIdParams,
      status: 204,
      handler: async ({ params, request, reply }) => {
        files.delete(params.id, ifMatch(request));
        reply.code(204);
        return undefined;
      },
    }),
  ];
}
