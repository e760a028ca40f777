#!/usr/bin/env node
// The JavaScript of each package: esbuild bundles its src/ into dist/, one ESM file per entry point
// (each `exports` target, plus the files loaded by path) and shared chunks beside them, so `stepwise
// run` loads a few dozen files instead of hundreds (issue 14). tsc still type-checks and writes the
// declarations (`emitDeclarationOnly` in each package's tsconfig.json). Every import of a package name
// stays an import, so @stepwise/core is one module instance that the CLI, the other packages and a
// user's step modules share. Source maps name the src/ files.
//
// `npm run build` runs it after tsc; vitest runs it first too (vitest.config.ts's globalSetup), so
// targeted tests never load a stale bundle. `node scripts/bundle.mjs [package …]` (default: all).
// Only files whose content changed are written, each through a rename; JavaScript in dist/ that the
// bundle no longer has (old chunks, tsc's former output) is removed.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The packages bundled, by folder under packages/ (the editor, packages/ui, is Vite's). */
export const PACKAGES = ['create-stepwise', 'core', 'dataframe', 'history', 'queue', 'cli', 'server'];

/** Entry points that no `exports` names, because they are loaded by path: a bin's dist/bin.js, core's thread worker. */
const LOADED_BY_PATH = {
  'create-stepwise': ['bin'],
  core: ['executors/threads/thread-worker'],
  cli: ['bin'],
};

/**
 * Side-effect imports an entry's source makes before anything else, which must still run first:
 * esbuild puts an entry's imports of shared chunks in an order of its own, before the entry's code, so
 * each becomes an entry point of its own and the entry imports it on its first line. Core's zod check
 * must run before any chunk builds a schema, or a project on zod 3 gets a TypeError, not the message.
 */
const FIRST = {
  core: { index: ['registry/zod-runtime'] },
};

/** The src/ files of a package's entry points: every `./dist/….js` its `exports` names, and the files loaded by path. */
function entryPoints(dir, name) {
  const { exports } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const targets = Object.values(exports)
    .map((target) => (typeof target === 'string' ? target : target.default))
    .filter((target) => /^\.\/dist\/.*\.js$/.test(target ?? ''))
    .map((target) => target.slice('./dist/'.length, -'.js'.length));
  const first = Object.values(FIRST[name] ?? {}).flat();
  return [...new Set([...targets, ...(LOADED_BY_PATH[name] ?? []), ...first])].map((entry) => {
    const source = join(dir, 'src', `${entry}.ts`);
    if (!existsSync(source)) throw new Error(`${name}: no src/${entry}.ts for its entry point dist/${entry}.js`);
    return source;
  });
}

/** The JavaScript files (and their maps) under a folder. */
function javaScriptFiles(folder) {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.js(\.map)?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Writes a file unless it already holds these bytes; through a rename, so a process loading it never reads half. */
function writeIfChanged(path, contents) {
  if (existsSync(path) && readFileSync(path).equals(contents)) return false;
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
  return true;
}

/** Puts `import './<module>.js';` lines first in an entry's output, one source-map line further down each. */
function importFirst(outputFiles, dist, entry, modules) {
  const find = (path) => {
    const file = outputFiles.find((output) => output.path === path);
    if (file === undefined) throw new Error(`no ${path} among esbuild's outputs`);
    return file;
  };
  const code = find(join(dist, `${entry}.js`));
  const map = find(join(dist, `${entry}.js.map`));
  const from = dirname(code.path);
  const lines = modules.map((module) => {
    const target = relative(from, join(dist, `${module}.js`));
    return `import ${JSON.stringify(target.startsWith('.') ? target : `./${target}`)};\n`;
  });
  let text = code.text;
  const hashbang = text.startsWith('#!') ? text.slice(0, text.indexOf('\n') + 1) : '';
  text = hashbang + lines.join('') + text.slice(hashbang.length);
  const sourceMap = JSON.parse(map.text);
  sourceMap.mappings = ';'.repeat(lines.length) + sourceMap.mappings;
  replaceContents(code, text);
  replaceContents(map, JSON.stringify(sourceMap));
}

/** esbuild's output files have read-only `text`; a replacement keeps the path. */
function replaceContents(file, text) {
  const contents = Buffer.from(text);
  Object.defineProperty(file, 'contents', { value: contents });
  Object.defineProperty(file, 'text', { value: text });
}

/** Bundles one package into its dist/; the number of files written. */
async function bundlePackage(name) {
  const dir = join(ROOT, 'packages', name);
  const entries = entryPoints(dir, name);
  const result = await build({
    absWorkingDir: dir,
    entryPoints: entries,
    outdir: join(dir, 'dist'),
    outbase: join(dir, 'src'),
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    sourcemap: 'linked',
    sourcesContent: false,
    keepNames: true,
    write: false,
    logLevel: 'warning',
  });
  for (const [entry, modules] of Object.entries(FIRST[name] ?? {}))
    importFirst(result.outputFiles, join(dir, 'dist'), entry, modules);
  const outputs = new Set(result.outputFiles.map((file) => file.path));
  const entryOutputs = new Set(
    entries.map((source) => source.replace(`${dir}/src/`, `${dir}/dist/`).replace(/\.ts$/, '.js')),
  );
  // chunks before the entries that import them, so a process starting meanwhile finds every chunk
  const ordered = [...result.outputFiles].sort(
    (a, b) => Number(entryOutputs.has(a.path)) - Number(entryOutputs.has(b.path)),
  );
  let written = 0;
  for (const file of ordered) if (writeIfChanged(file.path, Buffer.from(file.contents))) written++;
  for (const stale of javaScriptFiles(join(dir, 'dist'))) if (!outputs.has(stale)) rmSync(stale);
  return written;
}

/** Bundles the packages (all by default), in parallel. */
export async function bundle(names = PACKAGES) {
  const unknown = names.filter((name) => !PACKAGES.includes(name));
  if (unknown.length > 0)
    throw new Error(`not a bundled package: ${unknown.join(', ')} (one of ${PACKAGES.join(', ')})`);
  const written = await Promise.all(names.map(bundlePackage));
  return Object.fromEntries(names.map((name, i) => [name, written[i]]));
}

/** vitest's globalSetup: tests load the packages through their dist/, so bring every bundle up to date first. */
export async function setup() {
  await bundle();
}

if (process.argv[1] && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url) {
  const written = await bundle(process.argv.slice(2).length > 0 ? process.argv.slice(2) : PACKAGES);
  const changed = Object.entries(written).filter(([, count]) => count > 0);
  if (changed.length > 0)
    console.log(`bundled ${changed.map(([name, count]) => `${name} (${count} files written)`).join(', ')}`);
}
