import { z } from 'zod';
import { type ApiRoute, route } from '../api-route.js';
import type { ServerState } from '../state.js';

/** The catalog, built once per set of step and data types (each type's params as JSON Schema is costly). */
const built = new WeakMap<ServerState, { size: string; catalog: unknown }>();

function catalogOf(state: ServerState): unknown {
  const { registry } = state.project;
  const size = `${registry.list().length}/${registry.dataTypes().length}`;
  const cached = built.get(state);
  if (cached !== undefined && cached.size === size) return cached.catalog;
  const catalog = registry.toJSON();
  const categories = new Set<string>();
  for (const type of catalog.stepTypes) {
    const category = type.metadata.category;
    if (typeof category === 'string') categories.add(category);
  }
  const answer = { ...catalog, categories: [...categories].sort() };
  built.set(state, { size, catalog: answer });
  return answer;
}

/** `GET /api/catalog` and `GET /api/status`. */
export function catalogRoutes(state: ServerState): ApiRoute[] {
  return [
    route({
      method: 'GET',
      url: '/api/catalog',
      tag: 'catalog',
      summary: 'Step types (params as JSON Schema, defaults, inputs, output type), data types and categories.',
      response: z.object({
        stepTypes: z.array(z.object({ slug: z.string(), name: z.string(), outputType: z.string() }).loose()),
        dataTypes: z.array(z.object({ name: z.string(), description: z.string() })),
        categories: z.array(z.string()),
      }),
      handler: async () => catalogOf(state),
    }),
    route({
      method: 'GET',
      url: '/api/status',
      tag: 'catalog',
      summary: 'The server: version, uptime, runs executing and waiting, and its limits.',
      response: z.object({
        version: z.string(),
        uptimeMs: z.number(),
        runs: z.object({ running: z.number(), queued: z.number() }),
        streams: z.number(),
        followers: z.number(),
        store: z.enum(['file', 'memory', 'history', 'custom']),
        limits: z.record(z.string(), z.number()),
      }),
      handler: async () => ({
        version: state.version,
        uptimeMs: Date.now() - state.startedAt,
        runs: state.runs.counts(),
        streams: state.streams.open,
        followers: state.runs.followers(),
        store: state.project.storeKind,
        limits: { ...state.limits },
      }),
    }),
  ];
}
