import { type FileIdentity, type FileReference, identifyFile, type JsonValue } from '@stepwise/core/define';
import { z } from 'zod';
import { relativeToDataRoot, resolveDataPath } from '../files/data-root.js';

/** The `metadata.category` of every table step, as the editor's palette groups them. */
export type StepCategory = 'io' | 'columns' | 'rows' | 'cleaning' | 'aggregate' | 'combine' | 'sql';

/**
 * The metadata of a step that reads (or writes) the file named by its `path` param: `metadata.files`
 * names the config keys that hold paths under the data root, so `stepwise validate` can check them
 * without running (a missing input, a path outside the data root).
 */
export const READS_PATH: Record<string, JsonValue> = { category: 'io', files: { read: ['path'] } };
/** See {@link READS_PATH}. */
export const WRITES_PATH: Record<string, JsonValue> = { category: 'io', files: { write: ['path'] } };

/** The `contentHash` param of every step that reads a file. */
export const contentHashSchema = z
  .boolean()
  .default(false)
  .describe(
    "Also hash the file's content for the step key, so that resume and strategy.cache see a change that keeps its size and modification time (costs one more read of the file).",
  );

/**
 * The `files` hook of a step that reads the file its `path` names: the file's size, modification
 * time and (with `contentHash`) SHA-256 enter the step's key, so a changed file makes the step run
 * again on resume and misses the cache. The path is resolved under the data root like the read.
 */
export async function pathFiles(params: { path: string; contentHash?: boolean }): Promise<FileIdentity[]> {
  const absolute = await resolveDataPath(params.path);
  return [await identifyFile(params.path, absolute, { hash: params.contentHash === true })];
}

/** A non-empty list of column names. */
export function columnListSchema(description: string) {
  return z.array(z.string().min(1)).min(1).describe(description);
}

/** A path under the data root. */
export function pathSchema(description: string) {
  return z.string().min(1).describe(`${description} Relative paths resolve against the data root.`);
}

/** True for a missing cell: null, undefined or NaN. */
export function isMissing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

/** A file reference for a written file: the path relative to the data root when it is inside. */
export function fileReference(absolutePath: string, mediaType: string): FileReference {
  return { path: relativeToDataRoot(absolutePath), mediaType };
}
