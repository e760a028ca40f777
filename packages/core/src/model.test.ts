import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module `entry` imports, transitively, as [file, specifier] pairs for the outside ones. */
function outsideImports(entry: string): string[] {
  const seen = new Set<string>();
  const outside = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    // statements only (at the start of a line), not a message that says "import it from 'zod/v3'"
    for (const [, specifier] of source.matchAll(/^(?:import|export)[^'"]*?from\s+'([^']+)'/gm)) {
      if (specifier?.startsWith('.')) pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (specifier) outside.add(specifier);
    }
  }
  return [...outside].sort();
}

describe('@stepwise/core/model', () => {
  it('imports nothing from node: and no Node-only package, so the editor can bundle it', () => {
    expect(outsideImports(resolve(here, 'model.ts'))).toEqual(['zod']);
  });

  it('is a subset of the main entry: the same classes, not copies', async () => {
    const model = await import('./model.js');
    const main = await import('./index.js');
    expect(model.Workflow).toBe(main.Workflow);
    expect(model.StepRegistry).toBe(main.StepRegistry);
    // the editor refuses connections by the very rule validation applies
    expect(model.typesCompatible).toBe(main.typesCompatible);
  });
});
