import { realpathSync, statSync } from 'node:fs';
import { lstat, mkdir, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { StepwiseError } from '@stepwise/core/define';
import { codeFileRefusal } from './code-files.js';

/** Error codes of file access. */
export const FileErrorCode = {
  PATH_OUTSIDE_DATA_ROOT: 'PATH_OUTSIDE_DATA_ROOT',
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  /** A write to a file the project loads as code (config, step modules, package.json, node_modules, .git). */
  WRITE_REFUSED: 'WRITE_REFUSED',
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

/** Symbolic links followed for one path at most, as the operating system allows (Linux: 40). */
const MAX_LINKS = 40;

/**
 * The real path of `target` with every symlink followed, also for a path that does not exist yet: the
 * nearest existing ancestor's real path joined with the rest, and a dangling symlink followed to
 * where it points (so a link to a file not yet written outside the root resolves outside).
 */
async function realTarget(target: string, links = 0): Promise<string> {
  try {
    return await realpath(target);
  } catch {
    const info = await lstat(target).catch(() => undefined);
    if (info?.isSymbolicLink()) {
      if (links >= MAX_LINKS)
        throw new StepwiseError(
          FileErrorCode.PATH_OUTSIDE_DATA_ROOT,
          `Path "${target}" resolves through more than ${MAX_LINKS} symbolic links.`,
          { details: { path: target } },
        );
      return realTarget(resolve(dirname(target), await readlink(target)), links + 1);
    }
    const parent = dirname(target);
    if (parent === target) return target;
    return resolve(await realTarget(parent, links), relative(parent, target));
  }
}

/**
 * Resolves a user-given path under the data root; every symlink (a dangling one too, and the last
 * component) is followed before the check.
 * @throws StepwiseError `PATH_OUTSIDE_DATA_ROOT` for `..`, an absolute path elsewhere, or a symlink out.
 */
export async function resolveDataPath(path: string): Promise<string> {
  return (await checkedPath(path)).target;
}

/** The path as given (absolute) and its real path, checked to be under the real data root. */
async function checkedPath(path: string): Promise<{ target: string; real: string }> {
  const { dataRoot, allowOutside } = filesConfig();
  const target = resolve(dataRoot, path);
  if (allowOutside) return { target, real: await realTarget(target) };
  if (!isInside(dataRoot, target)) throw outside(path, dataRoot);
  const real = await realTarget(target);
  if (!isInside(await realTarget(dataRoot), real)) throw outside(path, dataRoot);
  return { target, real };
}

/**
 * {@link resolveDataPath} for a file to read: it must exist and be a file. Returns its real path, so
 * what is opened is what was checked.
 * @throws StepwiseError `PATH_OUTSIDE_DATA_ROOT`, `FILE_NOT_FOUND`
 */
export async function resolveInputPath(path: string): Promise<string> {
  const { real } = await checkedPath(path);
  const info = await stat(real).catch((error: unknown) => {
    throw fileNotFound(path, error);
  });
  if (!info.isFile()) throw fileNotFound(path);
  return real;
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

/**
 * {@link resolveDataPath} for a file about to be written: returns the real path to write (a symlink
 * is resolved, and where it points checked, so a dangling link cannot lead a write out of the root)
 * and creates its folder, only under the root. Never a file the project loads as code, by either
 * name: see {@link codeFileRefusal}. Write to the result without following links again, as
 * `writeDataFile` does (a temporary file in the same folder, then a rename).
 * @throws StepwiseError `PATH_OUTSIDE_DATA_ROOT`, `WRITE_REFUSED`
 */
export async function resolveOutputPath(path: string): Promise<string> {
  const real = await checkOutputPath(path);
  // the existing part of `real` has no links left and the rest does not exist: mkdir stays under it
  await mkdir(dirname(real), { recursive: true });
  const { dataRoot, allowOutside } = filesConfig();
  if (!allowOutside && !isInside(await realTarget(dataRoot), await realpath(dirname(real)))) {
    throw outside(path, dataRoot);
  }
  return real;
}

/**
 * The checks of {@link resolveOutputPath} without creating anything (for validation): the real path
 * a write of `path` would go to.
 * @throws StepwiseError `PATH_OUTSIDE_DATA_ROOT`, `WRITE_REFUSED`
 */
export async function checkOutputPath(path: string): Promise<string> {
  refuseCodeFile(path, resolve(filesConfig().dataRoot, path));
  const { real } = await checkedPath(path);
  refuseCodeFile(path, real);
  return real;
}

function refuseCodeFile(path: string, absolute: string): void {
  const reason = codeFileRefusal(absolute);
  if (reason === undefined) return;
  throw new StepwiseError(
    FileErrorCode.WRITE_REFUSED,
    `Refusing to write "${path}": it is ${reason}, which the project loads as code; steps write data files only.`,
    { details: { path } },
  );
}

/** `absolutePath` relative to the data root (or its real path) when it is inside the root, else as given. */
export function relativeToDataRoot(absolutePath: string): string {
  const { dataRoot } = filesConfig();
  for (const root of [dataRoot, realDataRoot()]) {
    if (isInside(root, absolutePath) && absolutePath !== root) return relative(root, absolutePath);
  }
  return absolutePath;
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
