// Arquero costs ~130 ms to import (about 170 modules), so `stepwise validate`, `stepwise steps`, a
// worker thread that never runs a table step and a run whose tables all stay in DuckDB (pushed down)
// should not pay it. It loads on first use, `arquero()`, with `require`: in plain Node the very module a
// user's own `import 'arquero'` gets. Under tsx's CommonJS hooks a `require` would give a copy of its
// own, so there `DataFrameType.load`, which the runner and the threads executor await before a table
// step, imports it first with `import()` (`loadArquero`).
import { createRequire } from 'node:module';
import type * as Arquero from 'arquero';

/** Arquero's module (what `import * as aq from 'arquero'` gives). */
export type ArqueroModule = typeof Arquero;

let loaded: ArqueroModule | undefined;
let loading: Promise<ArqueroModule> | undefined;

/**
 * Loads Arquero with `import()`, once: `DataFrameType.load`. After it resolves, {@link arquero}
 * answers the same module synchronously.
 */
export function loadArquero(): Promise<ArqueroModule> {
  loading ??= import('arquero').then((module) => {
    loaded = module;
    return module;
  });
  return loading;
}

/** Arquero's module if it has loaded, else undefined (a check that must not load it). */
export function arqueroIfLoaded(): ArqueroModule | undefined {
  return loaded;
}

/**
 * Arquero's module. Use it instead of a top-level value import of 'arquero' in a module the package's
 * entry loads, so that importing the package stays cheap (`import type` is free). Inside a run it is
 * the module `DataFrameType.load` imported; called before that (a value made or decoded outside a
 * run), it loads Arquero synchronously with `require` (an ES module, Node >= 20.19), which in plain
 * Node is that same module too.
 * @example
 * import { arquero } from '@stepwise/dataframe';
 * const t = arquero().table({ a: [1, 2] });
 */
export function arquero(): ArqueroModule {
  loaded ??= createRequire(import.meta.url)('arquero') as ArqueroModule;
  return loaded;
}

/**
 * True when `require('arquero')` gives the module `import('arquero')` gives, as in plain Node (>= 20.19,
 * where a required ES module is the imported one). False under tsx's CommonJS hooks (`tsx`,
 * `node --import tsx`), which compile a required ES module into a copy of its own: they add `.ts` to
 * `require`'s extensions (so does Node's own type stripping, Node >= 23, where this is needlessly false).
 */
export function requireSharesImport(): boolean {
  return !('.ts' in createRequire(import.meta.url).extensions);
}
