// What the table steps' `infer` hooks share: the input's columns, and issues for the names and
// expressions that read columns the input does not have. Validation calls these; runs check again.
import { resolve } from 'node:path';
import { closest, type InferContext, type InferIssue, type InferResult, type OutputShape } from '@stepwise/core/define';
import { expressionColumns } from '../expressions/expression.js';
import { filesConfig } from '../files/data-root.js';

/** The input shapes an `infer` hook receives, by input name. */
export type InputShapes = Readonly<Record<string, OutputShape | undefined>>;

/** The key path of an issue, from the step's config. */
export type ConfigPath = (string | number)[];

/** The column names of a named input (the primary one by default), or undefined when unknown. */
export function inputColumns(inputs: InputShapes, name = 'input'): string[] | undefined {
  return inputs[name]?.columns;
}

/** The result of a step that keeps its input's columns as they are. */
export function sameColumns(inputs: InputShapes, issues: InferIssue[] = []): InferResult {
  const columns = inputColumns(inputs);
  return { shape: columns ? { columns } : undefined, issues };
}

/** The message for columns a table lacks, naming them and the available ones (as the run's error does). */
export function missingMessage(missing: readonly string[], available: readonly string[], table = ''): string {
  const list = missing.map((name) => `"${name}"`).join(', ');
  const where = table ? ` in ${table}` : '';
  return `column${missing.length === 1 ? '' : 's'} ${list} not found${where}; available columns: ${available.join(', ') || '(none)'}.`;
}

/**
 * One issue per named column the table lacks; nothing when its columns are unknown.
 * @param names each column name with the path of the config field that names it
 */
export function checkNames(
  available: readonly string[] | undefined,
  names: readonly (readonly [string, ConfigPath])[],
  table = '',
): InferIssue[] {
  if (available === undefined) return [];
  const known = new Set(available);
  return names
    .filter(([name]) => !known.has(name))
    .map(([name, path]) => ({
      path,
      message: missingMessage([name], available, table),
      suggestions: closest(name, available),
      expected: 'a column of the input',
      actual: JSON.stringify(name),
    }));
}

/** Each list item with its path `[field, index]`. */
export function listed(field: string, names: readonly string[]): [string, ConfigPath][] {
  return names.map((name, index) => [name, [field, index]]);
}

/** Each record key with its path `[field, key]`. */
export function keyed(field: string, record: Readonly<Record<string, unknown>>): [string, ConfigPath][] {
  return Object.keys(record).map((name) => [name, [field, name]]);
}

/**
 * An issue at `path` when an expression reads columns the table lacks, naming them all; nothing
 * when the columns are unknown or the expression does not parse (its schema reports that).
 */
export function checkExpression(
  available: readonly string[] | undefined,
  expression: string,
  path: ConfigPath,
): InferIssue[] {
  if (available === undefined) return [];
  let read: string[];
  try {
    read = expressionColumns(expression);
  } catch {
    return [];
  }
  const known = new Set(available);
  const missing = read.filter((name) => !known.has(name));
  if (missing.length === 0) return [];
  const list = missing.map((name) => `"${name}"`).join(', ');
  const which =
    missing.length === 1
      ? `column ${list}, which the input does not have`
      : `columns ${list}, which the input does not have`;
  const message = `expression ${JSON.stringify(expression)} reads ${which}; available columns: ${available.join(', ') || '(none)'}.`;
  const first = missing[0] ?? '';
  return [{ path, message, suggestions: closest(first, available), actual: JSON.stringify(first) }];
}

const WRITTEN_FILES = '@stepwise/dataframe:written-files';

function writtenFiles(context: InferContext): Set<string> {
  let written = context.notes.get(WRITTEN_FILES) as Set<string> | undefined;
  if (written === undefined) {
    written = new Set();
    context.notes.set(WRITTEN_FILES, written);
  }
  return written;
}

/** Notes that a step writes this file, so that a later reader does not trust the copy on disk now. */
export function noteWrittenFile(context: InferContext, path: string): InferResult {
  writtenFiles(context).add(resolve(filesConfig().dataRoot, path));
  return {};
}

/** True when an earlier step of the workflow writes this file. */
export function writtenEarlier(context: InferContext, path: string): boolean {
  return writtenFiles(context).has(resolve(filesConfig().dataRoot, path));
}
