import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  FileStore,
  findDuplicateKeys,
  findJsonSyntaxError,
  type LoadedConfig,
  loadConfig,
  openStore,
  RuntimeContext,
  registry,
  type StepRegistry,
  type Store,
  type SyncCacheIndex,
  type SyncValueStore,
  type ValidationIssue,
  validationIssue,
  Workflow,
  WorkflowValidationError,
} from '@stepwise/core';
import { configureFiles } from '@stepwise/dataframe';
import { type CommandIO, useColor } from './io.js';
import { type CliLog, createCliLog, logLevelFor } from './logger.js';
import type { GlobalOptions } from './options.js';
import { addStepOutputs } from './output-targets.js';
import { issueLines } from './report/errors.js';
import { applySettings } from './settings.js';
import { UsageError } from './usage-error.js';
import { colors, count } from './view/format.js';

/**
 * The store of a command: values and cache answer at once (files or memory), so `context.get` and
 * `context.info` answer values; runs may answer promises (a SQL history), and are always awaited.
 */
export interface CommandStore extends Store {
  readonly values: SyncValueStore;
  readonly cache: SyncCacheIndex;
}

/** The runtime context of a command. */
export type CommandContext = RuntimeContext<CommandStore>;

/** The project a command works in: its configuration, the registry its step modules filled, its logger. */
export interface Project {
  config: LoadedConfig;
  registry: StepRegistry;
  /** pino at the config's `logLevel` (`debug` with --verbose), writing to stderr. */
  log: CliLog;
}

/**
 * Loads the config (from `--config`, or the nearest stepwise.config.* up from cwd), imports its
 * step modules, and points the table steps at the config's data root.
 * @throws StepwiseError `CONFIG_LOAD_FAILED`
 */
export async function openProject(io: CommandIO, options: GlobalOptions & { json?: boolean }): Promise<Project> {
  const config = await loadConfig(options.config, { cwd: io.cwd });
  configureFiles({ dataRoot: config.dataRoot });
  process.env.STEPWISE_DATA_ROOT = config.dataRoot; // worker threads inherit it: the same root there
  const verbose = options.verbose === true;
  const log = createCliLog({
    level: logLevelFor(config.logLevel, verbose),
    stream: io.stderr,
    json: options.json === true,
    stacks: verbose,
    c: colors(useColor(io.stderr, io.env)),
  });
  return { config, registry, log };
}

/** The store named by `--store` or else the config's: `memory`, or a directory made absolute against cwd. */
export function storeLocation(io: CommandIO, project: Project, storeOption?: string): string {
  const store = storeOption === undefined ? project.config.store : storeOption;
  return store === 'memory' ? store : resolve(io.cwd, store);
}

/**
 * A runtime context over the store named by `--store` (relative to cwd) or else the config's store,
 * with its runs in the config's `history` when it names one (opened by `@stepwise/history`, loaded
 * only then). The history is closed when the command ends ({@link closeStores}).
 * @throws UsageError when the config names a history and `@stepwise/history` is not installed
 */
export async function openContext(io: CommandIO, project: Project, storeOption?: string): Promise<CommandContext> {
  const location = storeLocation(io, project, storeOption);
  const history = project.config.history;
  if (history === undefined || location === 'memory')
    return new RuntimeContext<CommandStore>({ store: openStore(location), registry: project.registry });
  const { openConfigStore } = await historyModule(history);
  const opened = await openConfigStore({ store: location, history, root: project.config.root });
  toClose.add(() => opened.close());
  const context = new RuntimeContext<CommandStore>({ store: opened.store, registry: project.registry });
  storeDirs.set(context, location);
  return context;
}

/** The run history a config names, as messages show it (a PostgreSQL password hidden). */
export function historyName(history: string): string {
  return history.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/, '$1:***@');
}

const storeDirs = new WeakMap<CommandContext, string>();
const toClose = new Set<() => unknown>();

/** Closes the run histories the command opened (a PostgreSQL pool would keep the process alive). */
export async function closeStores(): Promise<void> {
  const closers = [...toClose];
  toClose.clear();
  await Promise.all(closers.map(async (close) => close()));
}

async function historyModule(history: string): Promise<typeof import('@stepwise/history')> {
  try {
    return await import('@stepwise/history');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw cause;
    throw new UsageError(
      `The config keeps run history in ${historyName(history)}, which needs the @stepwise/history package; it is not installed.`,
      ['Install it: npm install @stepwise/history'],
    );
  }
}

/** The directory of the file store in use (values and cache, and runs unless a history holds them), or undefined for memory. */
export function storeDir(context: CommandContext): string | undefined {
  return context.store instanceof FileStore ? context.store.dir : storeDirs.get(context);
}

/** A workflow file, parsed and validated, with its raw step ids (for messages). */
export interface LoadedWorkflow {
  path: string;
  workflow: Workflow;
  stepIds: (string | undefined)[];
}

/** What the command line changes in a document before it is validated. */
export interface DocumentEdits {
  /** `--set step.key=value`. */
  settings?: readonly string[] | undefined;
  /** `--output name=file`: a name that is a step, not an output, makes that step an output. */
  outputs?: readonly string[] | undefined;
}

/**
 * Reads and validates a workflow document, after the command line's edits: `--set step.key=value`
 * settings, and `--output <step>=file` outputs.
 * @throws UsageError for a missing file, a bad setting or output, or listing every issue of an invalid document
 */
export function readWorkflowFile(
  io: CommandIO,
  file: string,
  project: Project,
  edits: DocumentEdits = {},
): LoadedWorkflow {
  const settings = edits.settings ?? [];
  const path = resolve(io.cwd, file);
  if (!existsSync(path)) throw new UsageError(`Workflow file ${path} does not exist.`);
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, ''); // a byte order mark is not content
  const syntax = findJsonSyntaxError(text);
  if (syntax !== undefined) {
    const { line, column, message, source } = syntax;
    const gutter = String(line).length;
    const where = `line ${line}, column ${column}: ${message}`;
    throw new UsageError(
      `${path} is not valid JSON: ${where}; nothing was run.`,
      [`${line} | ${source}`, `${' '.repeat(gutter)} | ${' '.repeat(column - 1)}^`],
      [validationIssue('DOCUMENT_INVALID', [], `The document is not valid JSON: ${where}.`)],
    );
  }
  const duplicates = findDuplicateKeys(text);
  const document = addStepOutputs(applySettings(JSON.parse(text), settings, project.registry), edits.outputs);
  const stepIds = rawStepIds(document);
  let issues: ValidationIssue[] = duplicates;
  try {
    const workflow = Workflow.fromJSON(document, { registry: project.registry });
    if (duplicates.length === 0) return { path, workflow, stepIds };
  } catch (error) {
    if (!(error instanceof WorkflowValidationError)) throw error;
    issues = [...duplicates, ...error.issues];
  }
  const set = settings.length === 0 ? '' : ` with ${settings.map((s) => `--set ${s}`).join(' ')}`;
  throw new UsageError(
    `${path} is not a valid workflow${set} (${count(issues.length, 'issue')}); nothing was run.`,
    issueLines(issues, stepIds),
    issues,
  );
}

function rawStepIds(document: unknown): (string | undefined)[] {
  const steps = (document as { steps?: unknown } | null)?.steps;
  if (!Array.isArray(steps)) return [];
  return steps.map((s: unknown) =>
    s !== null && typeof s === 'object' && typeof (s as { id?: unknown }).id === 'string'
      ? (s as { id: string }).id
      : undefined,
  );
}
