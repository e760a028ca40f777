import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A TypeScript config or step module compiled once to JavaScript and kept under the project's
 * `node_modules/.cache/stepwise/`, so that `import()` loads it without tsx's loader hooks (a hooks
 * thread of its own, through which every later import then goes: about 40% of `stepwise validate`).
 * A warm start reads the source, hashes it and imports the cached file; esbuild (tsx's) runs only
 * when the source, its tsconfig.json or Node's version changed.
 *
 * Only what loads the same from the cache as from the source is compiled: an ES module (`.mts`, or
 * `.ts` in a `"type": "module"` package) whose imports are packages, Node built-ins and JavaScript
 * or JSON files. Package imports are left as written and resolve alike because the cache sits in
 * the nearest `node_modules` (Node looks up the same folders from there); relative ones become
 * absolute URLs; `import.meta.url`, `.filename` and `.dirname` are the source's. Anything else
 * (another `.ts` file imported, `#imports`, tsconfig `paths`, `import.meta.resolve`, an `import()`
 * of a computed name, a CommonJS package, a syntax error) answers undefined: the caller loads the
 * source through tsx, as before.
 */

/** Bumped when what is written to the cache changes shape. */
const FORMAT = 1;
const CACHE = join('node_modules', '.cache', 'stepwise');
const compiled = new Map<string, Promise<CompiledModule | undefined>>();

/** A TypeScript module compiled to a file of the cache. */
export interface CompiledModule {
  /** The cached JavaScript file. */
  file: string;
  /** Its file URL, for `import()`. */
  url: string;
}

/**
 * `path` compiled to JavaScript in the cache, or undefined when it must load through tsx.
 * Once per path and thread: a module edited meanwhile is not loaded a second time.
 */
export function compiledModule(path: string): Promise<CompiledModule | undefined> {
  let module = compiled.get(path);
  if (module === undefined) {
    module = compile(path).catch(() => undefined);
    compiled.set(path, module);
  }
  return module;
}

async function compile(path: string): Promise<CompiledModule | undefined> {
  if (!isEsModule(path) || path.split(/[\\/]/).includes('node_modules')) return undefined;
  const dir = cacheDir(dirname(path));
  if (dir === undefined) return undefined;
  const source = readFileSync(path, 'utf8');
  const tsconfig = nearest(dirname(path), 'tsconfig.json');
  const tsconfigText = tsconfig === undefined ? '' : readFileSync(tsconfig, 'utf8');
  if (tsconfigText.includes('"paths"')) return undefined; // aliases only tsx resolves
  const key = createHash('sha256')
    .update([FORMAT, process.version, path, tsconfig ?? '', tsconfigText, source].join('\0'))
    .digest('hex')
    .slice(0, 40);
  const file = join(dir, `${key}.mjs`);
  const url = pathToFileURL(file).href;
  if (existsSync(file)) return { file, url };
  const refused = join(dir, `${key}.tsx`);
  if (existsSync(refused)) return undefined;
  const code = await transform(path, source, tsconfig);
  if (code === undefined) return undefined; // esbuild missing, or a syntax error: tsx reports it as before
  write(code === false ? refused : file, code === false ? '' : code);
  return code === false ? undefined : { file, url };
}

/**
 * The module compiled, its imports rewritten; false when it cannot load from the cache (see above),
 * undefined when esbuild is not there or refuses the source.
 */
async function transform(
  path: string,
  source: string,
  tsconfig: string | undefined,
): Promise<string | false | undefined> {
  const esbuild = loadEsbuild(path);
  if (esbuild === undefined) return undefined;
  const url = pathToFileURL(path).href;
  let local = true;
  const ext = extname(path);
  let result: Awaited<ReturnType<Esbuild['build']>>;
  try {
    result = await esbuild.build({
      stdin: {
        contents: source,
        loader: ext.endsWith('x') ? 'tsx' : 'ts',
        sourcefile: path,
        resolveDir: dirname(path),
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: `node${process.versions.node}`,
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      ...(tsconfig === undefined ? {} : { tsconfig }),
      define: {
        'import.meta.url': JSON.stringify(url),
        'import.meta.filename': JSON.stringify(path),
        'import.meta.dirname': JSON.stringify(dirname(path)),
      },
      plugins: [
        {
          name: 'stepwise-imports',
          setup(build) {
            build.onResolve({ filter: /.*/ }, ({ path: specifier, kind }) => {
              if (kind === 'entry-point') return undefined;
              if (specifier.startsWith('#')) local = false;
              if (!/^(\.\.?(\/|$)|\/|file:)/.test(specifier)) return { path: specifier, external: true };
              const target = new URL(specifier, url);
              if (!isPlainFile(target)) local = false; // TypeScript, a folder, or a name tsx would complete
              return { path: target.href, external: true };
            });
          },
        },
      ],
    });
  } catch {
    return undefined;
  }
  const code = result.outputFiles?.[0]?.text;
  if (code === undefined) return undefined;
  // what is left of import.meta, and an import() of a computed name, would answer for the cache's place
  if (!local || /\bimport\.meta\b/.test(code) || /\bimport\s*\((?!\s*["'])/.test(code)) return false;
  return withSource(code, url);
}

/** The inline source map names the source by its URL (esbuild wrote it relative to cwd). */
function withSource(code: string, url: string): string {
  const marker = '//# sourceMappingURL=data:application/json;base64,';
  const at = code.lastIndexOf(marker);
  if (at < 0) return code;
  const map = JSON.parse(Buffer.from(code.slice(at + marker.length).trim(), 'base64').toString('utf8')) as {
    sources: string[];
  };
  map.sources = [url];
  return `${code.slice(0, at)}${marker}${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
}

function isPlainFile(target: URL): boolean {
  if (target.protocol !== 'file:' || /\.[cm]?tsx?$/.test(target.pathname)) return false;
  try {
    return statSync(target).isFile();
  } catch {
    return false;
  }
}

/** `.mts`, or `.ts`/`.tsx` in a package whose nearest package.json says `"type": "module"` (as Node and tsx decide). */
function isEsModule(path: string): boolean {
  const ext = extname(path);
  if (ext === '.mts') return true;
  if (ext !== '.ts' && ext !== '.tsx') return false;
  const manifest = nearest(dirname(path), 'package.json');
  if (manifest === undefined) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
  } catch {
    return false;
  }
}

/** The cache folder in the nearest `node_modules` up from `dir`: packages resolve from there as from `dir`. */
function cacheDir(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    try {
      if (statSync(join(at, 'node_modules')).isDirectory()) return join(at, CACHE);
    } catch {
      // not here
    }
    if (dirname(at) === at) return undefined;
  }
}

function nearest(dir: string, name: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, name);
    if (existsSync(file)) return file;
    if (dirname(at) === at || basename(at) === 'node_modules') return undefined;
  }
}

/** Written whole or not at all: another process may be reading the cache. */
function write(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch {
    // a read-only node_modules: compiled again next time
  }
}

interface Esbuild {
  build(options: Record<string, unknown> & { plugins: EsbuildPlugin[] }): Promise<{ outputFiles?: { text: string }[] }>;
}

interface EsbuildPlugin {
  name: string;
  setup(build: {
    onResolve(
      options: { filter: RegExp },
      callback: (args: { path: string; kind: string }) => { path: string; external: boolean } | undefined,
    ): void;
  }): void;
}

/** tsx's esbuild (the one tsx would transform the module with), else the project's. */
function loadEsbuild(path: string): Esbuild | undefined {
  const fromProject = createRequire(path);
  for (const load of [
    () => createRequire(fromProject.resolve('tsx/package.json'))('esbuild'),
    () => createRequire(createRequire(import.meta.url).resolve('tsx/package.json'))('esbuild'),
    () => fromProject('esbuild'),
  ]) {
    try {
      return load() as Esbuild;
    } catch {
      // next
    }
  }
  return undefined;
}
