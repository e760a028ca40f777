import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CommandIO, ExitCode, println } from '../io.js';
import { DEFAULT_PORT, type GlobalOptions } from '../options.js';
import { openContext, openProject } from '../project.js';
import { lazyQueueExecutor } from '../queue.js';
import { UsageError } from '../usage-error.js';

/** Options of `stepwise serve`. */
export interface ServeOptions extends GlobalOptions {
  host?: string;
  port?: number;
  tokenFile?: string;
}

/**
 * `stepwise serve`: the project's HTTP API and editor (`@stepwise/server`, loaded only here), until
 * Ctrl-C or SIGTERM; runs it was executing are cancelled and can be resumed.
 */
export async function serveCommand(io: CommandIO, options: ServeOptions): Promise<number> {
  const token = options.tokenFile === undefined ? undefined : readToken(io, options.tokenFile);
  const project = await openProject(io, options);
  // the store the other commands use: the config's file store, with its runs in the history if it names one
  const context = await openContext(io, project);
  const { createServer } = await serverModule();
  const server = await createServer({
    cwd: project.config.root,
    ...(project.config.path === undefined ? {} : { config: project.config.path }),
    store: context.store,
    registry: project.registry,
    logger: project.log.logger,
    // steps with executor: 'queue' go to `stepwise worker` processes, as with `stepwise run`
    executors: { queue: lazyQueueExecutor(project.config) },
    host: options.host ?? '127.0.0.1',
    port: options.port ?? DEFAULT_PORT,
    ...(token === undefined ? {} : { token }),
  });
  const url = await server.listen();
  const editor =
    server.project.uiDir === undefined ? " (the editor's files are not built; the API works without them)" : '';
  println(io.stdout, `Stepwise server listening on ${url}${editor}`);
  println(io.stdout, `API: ${url}/api (described at ${url}/api/openapi.json); Ctrl-C stops it.`);
  await new Promise<void>((done) => {
    if (io.signal === undefined || io.signal.aborted) return done();
    io.signal.addEventListener('abort', () => done(), { once: true });
  });
  await server.close();
  return ExitCode.OK;
}

function readToken(io: CommandIO, file: string): string {
  let text: string;
  try {
    text = readFileSync(resolve(io.cwd, file), 'utf8');
  } catch {
    throw new UsageError(`--token-file ${file}: cannot read it.`);
  }
  const token = text.trim();
  if (token.length < 16 || /\s/.test(token))
    throw new UsageError(`--token-file ${file}: the token must be one line of at least 16 characters, no spaces.`);
  return token;
}

async function serverModule(): Promise<typeof import('@stepwise/server')> {
  try {
    return await import('@stepwise/server');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw cause;
    throw new UsageError('stepwise serve needs the @stepwise/server package; it is not installed.', [
      'Install it: npm install @stepwise/server',
    ]);
  }
}
