import { describe, expect, it } from 'vitest';

// every source file of the editor (tests and the test kit aside), as text
const sources = import.meta.glob(['./**/*.ts', './**/*.tsx', '!./**/*.test.ts', '!./**/*.test.tsx', '!./test-kit/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
}) as Record<string, string>;

describe('@stepwise/ui sources', () => {
  it('import nothing from node: and, of the project, only @stepwise/core/model (the editor runs in a browser)', () => {
    const outside = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const [, specifier] of text.matchAll(/(?:import|export)[^'"]*?from\s+'([^']+)'/g)) {
        if (specifier && !specifier.startsWith('.')) outside.add(specifier);
      }
    }
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    expect([...outside].filter((name) => name.startsWith('node:') || name.startsWith('@stepwise/'))).toEqual([
      '@stepwise/core/model',
    ]);
  });
});
