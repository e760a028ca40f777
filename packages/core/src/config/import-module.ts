import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

let registered: Promise<void> | undefined;

/**
 * Lets `import()` load TypeScript from here on (tsx's loader hooks, registered once per thread).
 * tsx's `tsImport` would give every import its own module instances, and with them their own
 * `registry`; the global hooks keep one `@stepwise/core` per thread, so step modules register
 * where the runner looks.
 */
export function enableTypeScriptImports(): Promise<void> {
  registered ??= import('tsx/esm/api').then(({ register }) => {
    register();
  });
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
 * @example await importModule('./steps.ts', '/project')
 */
export async function importModule(specifier: string, fromDir: string): Promise<Record<string, unknown>> {
  await enableTypeScriptImports();
  return (await import(resolveModule(specifier, fromDir))) as Record<string, unknown>;
}
