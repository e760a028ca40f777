// Arquero costs ~130 ms to import (about 170 modules), so `stepwise validate`, `stepwise steps` and a
// worker thread that never runs a table step should not pay it. It loads through one path:
// `DataFrameType.load` (`loadArquero`), which the runner and the threads executor await before a step
// that reads or makes a DataFrame, imports it with `import()`, the very module a user's own
// `import 'arquero'` gets (also under tsx, whose CommonJS hooks would give a `require` a copy of its own).
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
