/**
 * @stepwise/server: the HTTP API of Stepwise (catalog, saved workflows, validation and plans, runs,
 * live events, data previews) and the editor's files, on Fastify. `stepwise serve` starts it.
 * @example
 * import { createServer } from '@stepwise/server';
 * const server = await createServer({ port: 3000 });
 * console.log(`listening on ${await server.listen()}`);
 * @packageDocumentation
 */
export { createServer, type StepwiseServer } from './create-server.js';
export { DEFAULT_LIMITS, type ServerLimits, type ServerOptions } from './options.js';
export type { ServerProject } from './project.js';
