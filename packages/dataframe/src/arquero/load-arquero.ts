// Arquero costs ~130 ms to import, so `stepwise validate`, `stepwise steps` and a worker thread that
// never runs a table step should not pay it. It loads on the first call of `arquero()`, synchronously:
// `require` of an ES module (Node >= 20.19) returns the very module `import 'arquero'` returns, so a
// table made by a user's own `import { table } from 'arquero'` is the same class as ours.
import { createRequire } from 'node:module';
import type * as Arquero from 'arquero';

/** Arquero's module (what `import * as aq from 'arquero'` gives). */
export type ArqueroModule = typeof Arquero;

let loaded: ArqueroModule | undefined;

/**
 * Arquero's module, loaded on the first call. Use it instead of a top-level value import of
 * 'arquero' in a step module, so that loading the module stays cheap (`import type` is free).
 * @example
 * import { arquero } from '@stepwise/dataframe';
 * const t = arquero().table({ a: [1, 2] });
 */
export function arquero(): ArqueroModule {
  loaded ??= createRequire(import.meta.url)('arquero') as ArqueroModule;
  return loaded;
}
