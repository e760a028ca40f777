import { basename, extname, sep } from 'node:path';

/** Extensions of files Node or a bundler loads as code: step modules and configs are among them. */
const CODE_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.jsx', '.ts', '.mts', '.cts', '.tsx', '.node']);

/** Files npm reads to decide what to install and run. */
const PACKAGE_FILES = new Set(['package.json', 'package-lock.json', 'npm-shrinkwrap.json', '.npmrc']);

/** Folders whose content is code or history: installed packages, and git's hooks and objects. */
const CODE_FOLDERS = new Set(['node_modules', '.git']);

/**
 * Why a step may not write `absolutePath`, or undefined when it may: a file the project loads as
 * code, so that a document cannot plant code the next `stepwise` command imports. Refused: the
 * project config (`stepwise.config.*`), JavaScript and TypeScript modules (step modules are),
 * native addons, `package.json` and npm's other install files, and anything under `node_modules`
 * or `.git`. Names are compared without case (macOS and Windows file systems ignore it).
 * @example codeFileRefusal('/srv/data/stepwise.config.ts') // 'the project config'
 */
export function codeFileRefusal(absolutePath: string): string | undefined {
  const name = basename(absolutePath).toLowerCase();
  if (name.startsWith('stepwise.config.')) return 'the project config';
  if (CODE_EXTENSIONS.has(extname(name))) return `a ${extname(name)} module`;
  if (PACKAGE_FILES.has(name)) return `npm's ${name}`;
  const folder = absolutePath
    .toLowerCase()
    .split(sep)
    .find((part) => CODE_FOLDERS.has(part));
  return folder === undefined ? undefined : `under ${folder}`;
}
