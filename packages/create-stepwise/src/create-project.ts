import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectPackageJson } from './project-package.js';

/** Options of {@link createProject}. */
export interface CreateProjectOptions {
  /** The folder to create the project in (made when missing). */
  dir: string;
  /** Write into a folder that is not empty; files of the template replace files of the same name. */
  force?: boolean;
  /** The package name; by default the folder's name, made a valid npm name. */
  name?: string;
}

/** What {@link createProject} made. */
export interface CreatedProject {
  /** The project folder, absolute. */
  dir: string;
  /** The package name written to package.json. */
  name: string;
  /** Every file written, relative to `dir`, sorted. */
  files: string[];
}

/** Why a project could not be created: `code` is `DIRECTORY_NOT_EMPTY` or `NOT_A_DIRECTORY`. */
export class CreateProjectError extends Error {
  readonly code: 'DIRECTORY_NOT_EMPTY' | 'NOT_A_DIRECTORY';
  constructor(code: CreateProjectError['code'], message: string) {
    super(message);
    this.name = 'CreateProjectError';
    this.code = code;
  }
}

/** The template folder shipped with this package. */
const TEMPLATE = fileURLToPath(new URL('../template', import.meta.url));

/** Files npm leaves out of a published tarball, kept in the template under another name. */
const RENAMED: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/** Entries that do not make a folder "not empty" (a fresh `git init`, editor settings). */
const IGNORED = new Set(['.git', '.DS_Store', '.idea', '.vscode']);

/**
 * Creates a Stepwise project in `options.dir`: package.json, stepwise.config.ts, steps.ts (a step
 * type in each form), workflows/orders.json over data/orders.csv, tsconfig.json, .gitignore and a
 * README of the next commands. Installs nothing.
 * @example const { files } = createProject({ dir: 'my-project' });
 * @throws CreateProjectError `DIRECTORY_NOT_EMPTY` (unless `force`), `NOT_A_DIRECTORY`
 */
export function createProject(options: CreateProjectOptions): CreatedProject {
  const dir = resolve(options.dir);
  checkTarget(dir, options.force === true);
  const name = options.name ?? packageName(basename(dir));
  mkdirSync(dir, { recursive: true });
  cpSync(TEMPLATE, dir, { recursive: true, force: true });
  for (const [from, to] of Object.entries(RENAMED)) renameSync(join(dir, from), join(dir, to));
  const readme = readFileSync(join(TEMPLATE, 'README.md'), 'utf8').replaceAll('{{name}}', name);
  writeFileSync(join(dir, 'README.md'), readme);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(projectPackageJson(name), null, 2)}\n`);
  const files = [...templateFiles(TEMPLATE).map((file) => RENAMED[file] ?? file), 'package.json'];
  return { dir, name, files: files.sort() };
}

function checkTarget(dir: string, force: boolean): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new CreateProjectError('NOT_A_DIRECTORY', `${dir} is a file, not a folder.`);
  const entries = readdirSync(dir).filter((entry) => !IGNORED.has(entry));
  if (entries.length === 0 || force) return;
  const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, … (${entries.length} entries)` : '');
  throw new CreateProjectError(
    'DIRECTORY_NOT_EMPTY',
    `${dir} is not empty (${shown}); nothing was written. Choose a new or empty folder, or pass --force to write the template's files into it (files of the same name are replaced).`,
  );
}

/** `My Project!` → `my-project`: lower case, and only the characters an npm package name may hold. */
export function packageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '');
  return name === '' ? 'stepwise-project' : name.slice(0, 214);
}

/** The template's files, relative to it (README.md included; package.json is generated). */
function templateFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}
