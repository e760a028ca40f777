import { realpathSync, statSync } from 'node:fs';
import { mkdir, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { StepwiseError } from '@stepwise/core';

/** Error codes of file access. */
export const FileErrorCode = {
  PATH_OUTSIDE_DATA_ROOT: 'PATH_OUTSIDE_DATA_ROOT',
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
} as const;

/** Where data files live, and whether a path may leave that folder. */
export interface FilesConfig {
  /** Absolute folder every relative path resolves against, and every path must stay under. */
  dataRoot: string;
  /** Let paths resolve outside the data root (off by default). */
  allowOutside: boolean;
}

let configured: Partial<FilesConfig> = {};

/**
 * Sets the data root and whether paths may leave it; fields left out keep their value.
 * The default root is `STEPWISE_DATA_ROOT` from the environment, else the working directory
 * (read at each use, so worker threads that inherit the environment agree).
 * @example configureFiles({ dataRoot: '/srv/data' })
 */
export function configureFiles(options: Partial<FilesConfig>): FilesConfig {
  configured = { ...configured, ...options };
  if (options.dataRoot !== undefined) configured.dataRoot = resolve(options.dataRoot);
  return filesConfig();
}

/** Forgets what {@link configureFiles} set: back to the environment's defaults. */
export function resetFilesConfig(): void {
  configured = {};
}

/** The files configuration in effect. */
export function filesConfig(): FilesConfig {
  return {
    dataRoot: configured.dataRoot ?? resolve(process.env.STEPWISE_DATA_ROOT || process.cwd()),
    allowOutside: configured.allowOutside ?? false,
  };
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function outside(path: string, root: string): StepwiseError {
  return new StepwiseError(
    FileErrorCode.PATH_OUTSIDE_DATA_ROOT,
    `Path "${path}" resolves outside the data root "${root}"; use a path under the data root, or configureFiles({ allowOutside: true }).`,
    { details: { path, dataRoot: root } },
  );
}

/** The real path of `target`, or of its nearest existing ancestor joined with the rest (for files yet to be written). */
async function realTarget(target: string): Promise<string> {
  try {
    return await realpath(target);
  } catch {
    const parent = dirname(target);
    if (parent === target) return target;
    return resolve(await realTarget(parent), relative(parent, target));
  }
}

/**
 * Resolves a user-given path under the data root; symlinks are followed before the check.
 * @throws StepwiseError `PATH_OUTSIDE_DATA_ROOT` for `..`, an absolute path elsewhere, or a symlink out.
 */
export async function resolveDataPath(path: string): Promise<string> {
  const { dataRoot, allowOutside } = filesConfig();
  const target = resolve(dataRoot, path);
  if (allowOutside) return target;
  if (!isInside(dataRoot, target)) throw outside(path, dataRoot);
  const realRoot = await realTarget(dataRoot);
  if (!isInside(realRoot, await realTarget(target))) throw outside(path, dataRoot);
  return target;
}

/**
 * {@link resolveDataPath} for a file to read: it must exist and be a file.
 * @throws StepwiseError `PATH_OUTSIDE_DATA_ROOT`, `FILE_NOT_FOUND`
 */
export async function resolveInputPath(path: string): Promise<string> {
  const target = await resolveDataPath(path);
  const info = await stat(target).catch((error: unknown) => {
    throw fileNotFound(path, error);
  });
  if (!info.isFile()) throw fileNotFound(path);
  return target;
}

/**
 * The absolute path of an existing file under the data root (symlinks followed, as for a read), or
 * undefined when it is missing, not a file, or outside the root. Synchronous and never throws: for
 * validation, which may only peek.
 */
export function existingDataFileSync(path: string): string | undefined {
  const { dataRoot, allowOutside } = filesConfig();
  const target = resolve(dataRoot, path);
  try {
    if (!allowOutside && !(isInside(dataRoot, target) && isInside(realDataRoot(), realpathSync(target)))) {
      return undefined;
    }
    return statSync(target).isFile() ? target : undefined;
  } catch {
    return undefined;
  }
}

/** {@link resolveDataPath} for a file about to be written: also creates its folder. */
export async function resolveOutputPath(path: string): Promise<string> {
  const target = await resolveDataPath(path);
  await mkdir(dirname(target), { recursive: true });
  return target;
}

/** `absolutePath` relative to the data root when it is inside the root, else as given. */
export function relativeToDataRoot(absolutePath: string): string {
  const { dataRoot } = filesConfig();
  return isInside(dataRoot, absolutePath) && absolutePath !== dataRoot
    ? relative(dataRoot, absolutePath)
    : absolutePath;
}

/** The real path of the data root (for tools such as DuckDB that check paths as text). */
export function realDataRoot(): string {
  const { dataRoot } = filesConfig();
  try {
    return realpathSync(dataRoot);
  } catch {
    return dataRoot;
  }
}

/** The error for a file that does not exist. */
function fileNotFound(path: string, cause?: unknown): StepwiseError {
  return new StepwiseError(
    FileErrorCode.FILE_NOT_FOUND,
    `File "${path}" does not exist under the data root "${filesConfig().dataRoot}".`,
    {
      details: { path },
      cause,
    },
  );
}
