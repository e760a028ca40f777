import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { RetentionPolicy } from '../context/prune.js';
import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { configIssueSentences } from './config-issues.js';
import type { QueueConfig, StepwiseConfig } from './define-config.js';
import { findConfig } from './find-config.js';
import { importModule, prepareImports } from './import-module.js';

/** The code of every error loading a configuration or one of its step modules. */

/** Where the file store lives when the config does not say (relative to the project root). */
export const DEFAULT_STORE_DIR = '.stepwise/store';

/** Where saved workflows live when the config does not say (relative to the project root). */
export const DEFAULT_WORKFLOWS_DIR = 'workflows';

/** A configuration with every path made absolute and every default filled in. */
export interface LoadedConfig {
  /** The config file, or undefined when none was found (the defaults apply). */
  path: string | undefined;
  /** The project root: the config file's directory (or the start directory without one). */
  root: string;
  /** The step modules, as absolute paths or package names. */
  steps: string[];
  dataRoot: string;
  /** `memory`, or the absolute directory of the file store. */
  store: string;
  /** The absolute directory of saved workflows. */
  workflows: string;
  /**
   * The run history, when the config names one: `sqlite:` and an absolute file, or a PostgreSQL URL;
   * undefined when runs are kept in the file store.
   */
  history: string | undefined;
  /** The retention the config sets (limits not given are the defaults': see `retentionLimits`). */
  retention: RetentionPolicy;
  logLevel: string;
  /** The queue section, its store made absolute (the project's store unless given) and its key prefix filled in. */
  queue: QueueConfig & { store: string; prefix: string };
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Where to start looking when no path is given; defaults to `process.cwd()`. */
  cwd?: string;
  /** Import the step modules the config lists (default true). */
  importSteps?: boolean;
}

/** What a config's `history` may be: `sqlite:` and a file, or a PostgreSQL URL. */
const HISTORY_PATTERN = /^(sqlite:.+|postgres(ql)?:\/\/.+)$/;

const configSchema = z.strictObject({
  steps: z.array(z.string().min(1)),
  dataRoot: z.string().min(1).optional(),
  store: z.string().min(1).optional(),
  workflows: z.string().min(1).optional(),
  history: z.string().regex(HISTORY_PATTERN).optional(),
  retention: z
    .strictObject({
      keepRuns: z.number().int().min(0).optional(),
      maxAgeDays: z.number().min(0).optional(),
      maxBytes: z.number().min(0).optional(),
    })
    .optional(),
  logLevel: z.enum(['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace']).optional(),
  queue: z
    .strictObject({
      redis: z
        .string()
        .regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL')
        .optional(),
      store: z.string().min(1).optional(),
      prefix: z
        .string()
        .regex(/^[\w.:-]{1,100}$/, 'letters, digits, _ . : - (at most 100)')
        .optional(),
      concurrency: z.int().min(1).max(256).optional(),
      lockDurationMs: z.int().min(1000).max(3_600_000).optional(),
      shutdownGraceMs: z.int().min(0).max(3_600_000).optional(),
      connectTimeoutMs: z.int().min(100).max(3_600_000).optional(),
    })
    .optional(),
});

/**
 * Loads a project configuration (TypeScript or JavaScript, no build step) and imports every step
 * module it lists, so their step types are in the registry. Without `path` it looks in `cwd` and its
 * parents; with no config anywhere it returns the defaults (no step modules, store under `cwd`).
 * @example const config = await loadConfig(); // finds ./stepwise.config.ts
 * @throws StepwiseError `CONFIG_LOAD_FAILED` naming the file and the cause
 */
export async function loadConfig(path?: string, options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const file = path === undefined ? findConfig(cwd) : resolve(cwd, path);
  const loaded = file === undefined ? resolveConfig({ steps: [] }, cwd, undefined) : await readConfig(file);
  if (options.importSteps !== false) await loadStepModules(loaded);
  return loaded;
}

/**
 * Imports the step modules of a loaded configuration, in order (worker threads call this too).
 * @throws StepwiseError `CONFIG_LOAD_FAILED` naming the module and the config
 */
export async function loadStepModules(config: Pick<LoadedConfig, 'steps' | 'root' | 'path'>): Promise<void> {
  // a module that fails here fails again below, named with its config
  await prepareImports(config.steps, config.root).catch(() => undefined);
  for (const specifier of config.steps) {
    try {
      await importModule(specifier, config.root);
    } catch (cause) {
      const where = config.path ? ` (listed in ${config.path})` : '';
      throw new StepwiseError(
        ErrorCode.CONFIG_LOAD_FAILED,
        `Could not load step module ${specifier}${where}: ${messageOf(cause)}`,
        { cause, details: { module: specifier, ...(config.path ? { path: config.path } : {}) } },
      );
    }
  }
}

async function readConfig(file: string): Promise<LoadedConfig> {
  const fail = (reason: string, cause?: unknown): StepwiseError =>
    new StepwiseError(ErrorCode.CONFIG_LOAD_FAILED, `Could not load config ${file}: ${reason}`, {
      cause,
      details: { path: file },
    });
  if (!existsSync(file)) throw fail('the file does not exist.');
  let module: Record<string, unknown>;
  try {
    module = await importModule(file, dirname(file));
  } catch (cause) {
    throw fail(messageOf(cause), cause);
  }
  const exported = module.default ?? module.config;
  if (exported === undefined) throw fail('it has no default export; write `export default defineConfig({ ... })`.');
  // jitless: zod's compiled fast path costs more to build than the config's one parse gains (a
  // per-parse option; zod's global config, a user's own, is left alone)
  const parsed = configSchema.safeParse(exported, { jitless: true });
  if (!parsed.success) {
    const sentences = configIssueSentences(exported, parsed.error.issues);
    throw fail(`${sentences.join('; ')}.`);
  }
  return resolveConfig(parsed.data as StepwiseConfig, dirname(file), file);
}

function resolveConfig(config: StepwiseConfig, root: string, path: string | undefined): LoadedConfig {
  const relative = (p: string) => (p.startsWith('.') || p.startsWith('/') ? resolve(root, p) : p);
  const store = config.store ?? DEFAULT_STORE_DIR;
  return {
    path,
    root,
    steps: config.steps.map(relative),
    dataRoot: resolve(root, config.dataRoot ?? '.'),
    store: store === 'memory' ? 'memory' : resolve(root, store),
    workflows: resolve(root, config.workflows ?? DEFAULT_WORKFLOWS_DIR),
    history: config.history?.startsWith('sqlite:')
      ? `sqlite:${resolve(root, config.history.slice(7))}`
      : config.history,
    retention: { ...config.retention },
    logLevel: config.logLevel ?? 'warn',
    queue: {
      ...config.queue,
      store: resolve(root, config.queue?.store ?? (store === 'memory' ? DEFAULT_STORE_DIR : store)),
      prefix: config.queue?.prefix ?? `stepwise:${basename(root).replace(/[^\w.-]/g, '_') || 'project'}`,
    },
  };
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
