import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

describe('the README tutorial', () => {
  it('runs as written: composes, serializes, loads back, fails with the cause, resumes', async () => {
    const tutorial = await import('./tutorial.js');
    expect(tutorial.failed?.status).toBe('failed');
    expect(tutorial.failed?.error?.message).toContain('cannot read exchange rates from');
    expect(tutorial.failed?.error?.cause?.message).toContain('ENOENT');
    expect(tutorial.resumed.status).toBe('completed');
    // resume re-ran only the failed step: the completed ones kept their first attempt
    expect(tutorial.resumed.steps.get('taxed')?.attempts).toBe(1);
    expect(tutorial.taxed).toEqual([
      { id: 1, amount: 10, gross: 12 },
      { id: 2, amount: 20, gross: 24 },
      { id: 3, amount: 30, gross: 36 },
    ]);
    expect(tutorial.result).toEqual([
      { id: 1, amount: 10, gross: 6, currency: 'EUR' },
      { id: 2, amount: 20, gross: 12, currency: 'EUR' },
      { id: 3, amount: 30, gross: 18, currency: 'EUR' },
    ]);
    expect(JSON.parse(tutorial.text).steps.map((s: { id: string }) => s.id)).toEqual([
      'tutorial_orders',
      'taxed',
      'in_eur',
    ]);
  });

  it('shows in the README exactly the code in examples/tutorial', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n(\/\/ file: (\S+)\n[\s\S]*?)```/g)];
    expect(blocks.map((b) => b[2])).toEqual(['examples/tutorial/steps.ts', 'examples/tutorial/tutorial.ts']);
    for (const [, code, file] of blocks) expect(code).toBe(readFileSync(join(root, file ?? ''), 'utf8'));
  });
});
