import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { isRef, materializeValue, type StepContext, type StepRegistry } from '@stepwise/core';
import { configureFiles, filesConfig } from '@stepwise/dataframe';
import { checkOutputFile, TABLE_WRITERS } from './output-targets.js';
import type { CommandContext } from './project.js';
import { UsageError } from './usage-error.js';

/** Where `--input name=...` came from and what it feeds, for messages. */
export interface InputRequest {
  name: string;
  value: string;
  /** The data type the workflow declares for this input. */
  type: string;
  /** The steps that read this input. */
  usedBy: string[];
}

const READERS: Record<string, string> = { '.csv': 'read_csv', '.parquet': 'read_parquet', '.json': 'read_json' };

/**
 * Puts a workflow input into the context and returns its ref: an existing ref as is, a data file
 * (.csv, .parquet, .json) read as a DataFrame when the input is one, else decoded with the input's data type.
 * @throws UsageError for a missing or unreadable file, or a ref the store does not hold
 */
export async function loadInput(
  request: InputRequest,
  { context, registry, cwd }: { context: CommandContext; registry: StepRegistry; cwd: string },
): Promise<string> {
  const wanted = request.usedBy.length > 0 ? ` (wanted by step ${request.usedBy.map((s) => `"${s}"`).join(', ')})` : '';
  if (isRef(request.value)) {
    if (context.has(request.value)) return request.value;
    throw new UsageError(`Input "${request.name}"${wanted}: ref ${request.value} is not in the store.`);
  }
  const path = resolve(cwd, request.value);
  if (!existsSync(path))
    throw new UsageError(`Input file ${path} does not exist; input "${request.name}"${wanted} needs it.`);
  let value: unknown;
  try {
    value = await readInputFile(path, request.type, registry);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint = request.type === 'DataFrame' ? ' (a DataFrame is read from .csv, .json, .parquet or Arrow IPC)' : '';
    throw new UsageError(`Input "${request.name}"${wanted}: cannot read ${path} as ${request.type}${hint}: ${reason}`);
  }
  return context.put(value, { type: request.type });
}

/** A file's value: a table through the reader for its extension, else decoded with the data type. */
async function readInputFile(path: string, type: string, registry: StepRegistry): Promise<unknown> {
  const reader = READERS[extname(path).toLowerCase()];
  if (type === 'DataFrame' && reader && registry.has(reader)) return callStep(registry, reader, undefined, { path });
  const bytes = readFileSync(path);
  return type === 'Text' ? bytes.toString('utf8') : registry.requireDataType(type).decode(new Uint8Array(bytes));
}

/**
 * Writes the value under `ref` to `file`: a DataFrame through the table writer for the extension
 * (write_csv, write_parquet, ...), anything else as its data type's encoding. Returns the absolute path.
 */
export async function writeOutput(
  ref: string,
  file: string,
  { context, registry, cwd }: { context: CommandContext; registry: StepRegistry; cwd: string },
): Promise<string> {
  const { type } = context.info(ref);
  // a lazy table (a pushed-down step's output) runs its query now
  return writeValue(await materializeValue(registry, type, context.get(ref)), type, { file, registry, cwd });
}

/** Writes `value` of data type `type` to `file` as {@link writeOutput} does; returns the absolute path. */
export async function writeValue(
  value: unknown,
  type: string,
  { file, registry, cwd }: { file: string; registry: StepRegistry; cwd: string },
): Promise<string> {
  const path = resolve(cwd, file);
  checkOutputFile(path, type);
  mkdirSync(dirname(path), { recursive: true });
  const writer = TABLE_WRITERS[extname(path).toLowerCase()];
  if (type === 'DataFrame' && writer && registry.has(writer)) {
    await callStep(registry, writer, value, { path });
    return path;
  }
  const encoded = type === 'Text' ? String(value) : registry.requireDataType(type).encode(value);
  writeFileSync(path, encoded);
  return path;
}

/** Calls a registered step type's function outside a run (a reader or writer for the command's own files). */
async function callStep(registry: StepRegistry, slug: string, input: unknown, config: object): Promise<unknown> {
  const type = registry.require(slug);
  const params = type.params.parse(config);
  const noop = () => {};
  const ctx: StepContext = {
    signal: new AbortController().signal,
    log: { debug: noop, info: noop, warn: noop, error: noop },
    progress: noop,
    inputs: { input },
    runId: 'cli',
    stepId: slug,
    attempt: 1,
  };
  // a path typed on the command line is the user's own choice: the data root does not fence it
  const { allowOutside } = filesConfig();
  configureFiles({ allowOutside: true });
  try {
    return await (type.fn as (i: unknown, p: unknown, c: StepContext) => unknown)(input, params, ctx);
  } finally {
    configureFiles({ allowOutside });
  }
}
