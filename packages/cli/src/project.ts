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

/** A runtime context over the store named by `--store` (relative to cwd) or else the config's store. */
export function openContext(io: CommandIO, project: Project, storeOption?: string): RuntimeContext {
  return new RuntimeContext({ store: openStore(storeLocation(io, project, storeOption)), registry: project.registry });
}

/** The directory of the file store in use, or undefined for memory. */
export function storeDir(context: RuntimeContext): string | undefined {
  return context.store instanceof FileStore ? context.store.dir : undefined;
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
