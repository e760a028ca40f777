import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { type CompiledModule, compiledModule } from './compile-typescript.js';

/** Set on `globalThis` by whatever registered tsx's hooks in this thread (this module, a worker's bootstrap). */
export const TSX_REGISTERED = Symbol.for('stepwise.tsx-registered');

const TYPESCRIPT = /\.[cm]?tsx?$/;
let registered: Promise<void> | undefined;

/**
 * True when `import()` in this thread already loads TypeScript: tsx's hooks were registered here,
 * or, in the main thread, tsx's loader was given on the command line (`tsx`, `node --import tsx`).
 * (On Node 20 a worker thread's `--import` does not reach its dynamic imports, so there only a
 * registration in the thread counts.)
 */
function typeScriptLoads(): boolean {
  if ((globalThis as Record<symbol, unknown>)[TSX_REGISTERED] === true) return true;
  if (!isMainThread) return false;
  return [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ').includes('/tsx/dist/loader');
}

/**
 * Lets `import()` load TypeScript from here on: tsx's loader hooks, registered once per thread and
 * only when a `.ts` module is imported, so a project of compiled step modules never loads tsx.
 * Global hooks (not tsx's `tsImport`, which gives every import its own module instances and with
 * them their own `registry`) keep one `@stepwise/core` per thread, so step modules register where
 * the runner looks.
 * @throws StepwiseError `CONFIG_LOAD_FAILED` when tsx is not installed
 */
function enableTypeScriptImports(specifier: string): Promise<void> {
  registered ??= import('tsx/esm/api').then(
    ({ register }) => {
      register();
      (globalThis as Record<symbol, unknown>)[TSX_REGISTERED] = true;
    },
    (cause: unknown) => {
      registered = undefined;
      throw new StepwiseError(
        ErrorCode.CONFIG_LOAD_FAILED,
        `Loading the TypeScript module ${specifier} needs tsx: install it (npm install tsx), or import compiled JavaScript.`,
        { cause, details: { module: specifier } },
      );
    },
  );
  return registered;
}

/** The absolute path or URL `import()` takes for a specifier written relative to `fromDir`. */
export function resolveModule(specifier: string, fromDir: string): string {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return pathToFileURL(resolve(fromDir, specifier)).href;
  try {
    // a package name: resolve it from the config's directory, not from this file
    return pathToFileURL(createRequire(join(fromDir, 'stepwise.config.js')).resolve(specifier)).href;
  } catch {
    return specifier;
  }
}

/**
 * Imports a module (TypeScript or JavaScript) named relative to `fromDir`, or a package name.
 * TypeScript is compiled once into the project's `node_modules/.cache/stepwise/` and imported from
 * there (see `compile-typescript.ts`); a module that cannot load from there is loaded through tsx,
 * registered on the first such module. JavaScript never needs either.
 * @example await importModule('./steps.ts', '/project')
 * @throws StepwiseError `CONFIG_LOAD_FAILED` for a `.ts` module without tsx installed; whatever the module throws
 */
export async function importModule(specifier: string, fromDir: string): Promise<Record<string, unknown>> {
  const url = resolveModule(specifier, fromDir);
  if (TYPESCRIPT.test(url.split('?')[0] ?? url) && !typeScriptLoads()) {
    const compiled = compilable(url) ? await compiledModule(fileURLToPath(url)) : undefined;
    if (compiled !== undefined) return importCompiled(compiled, fileURLToPath(url));
    await enableTypeScriptImports(specifier);
  }
  return (await import(url)) as Record<string, unknown>;
}

/**
 * Readies a set of modules to be imported together: when one of the TypeScript ones must load
 * through tsx, tsx is registered before any is imported and loads them all, so that a module
 * imported by another (through tsx) and listed itself is one module, not two.
 */
export async function prepareImports(specifiers: readonly string[], fromDir: string): Promise<void> {
  if (typeScriptLoads()) return;
  const typeScript = specifiers
    .map((specifier) => ({ specifier, url: resolveModule(specifier, fromDir) }))
    .filter(({ url }) => TYPESCRIPT.test(url.split('?')[0] ?? url));
  const compiled = await Promise.all(
    typeScript.map(({ url }) => (compilable(url) ? compiledModule(fileURLToPath(url)) : undefined)),
  );
  const index = compiled.indexOf(undefined);
  if (index >= 0) await enableTypeScriptImports(typeScript[index]?.specifier ?? '');
}

/**
 * True when a compiled copy can stand for the module: a file, imported by Node's own `import()`.
 * Under a bundler's module runner (vitest's: it gives modules an `import.meta.env`), `import()` goes
 * through the runner, which compiles TypeScript itself and would load the copy, from node_modules,
 * with Node: another `@stepwise/core` than the caller's, and another registry.
 */
function compilable(url: string): boolean {
  return url.startsWith('file:') && !url.includes('?') && (import.meta as { env?: unknown }).env === undefined;
}

/** Imports the compiled copy; stack traces name the source (its source map), and so do errors that name the copy. */
async function importCompiled({ file, url }: CompiledModule, source: string): Promise<Record<string, unknown>> {
  process.setSourceMapsEnabled(true); // as tsx does
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof Error) {
      // Node names the copy by its real path (node_modules may be a link)
      for (const copy of new Set([file, realpathSync(file)]))
        error.message = error.message
          .replaceAll(pathToFileURL(copy).href, pathToFileURL(source).href)
          .replaceAll(copy, source);
    }
    throw error;
  }
}
