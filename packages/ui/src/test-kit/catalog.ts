import { type Catalog, StepRegistry, stepType, type WorkflowDocument } from '@stepwise/core/model';
import { z } from 'zod';
import { type CatalogIndex, indexCatalog } from '../graph/catalog.js';

/**
 * A registry with the step types of core's document fixtures (read_rows, clean_nulls, score_rows,
 * join, read_text, nested) plus a table-like `filter` with an expression: the editor's tests validate
 * what they build against it with core's own `validateDocument`.
 */
export function testRegistry(): StepRegistry {
  const registry = new StepRegistry();
  const meta = (category: string, tags: string[] = []) => ({ category, tags });
  stepType(
    {
      slug: 'read_rows',
      name: 'Read rows',
      description: 'Reads rows from a file under the data root.',
      params: z.object({ path: z.string().min(1).describe('The file to read, under the data root.') }),
      outputType: 'JSON',
      metadata: meta('io', ['file', 'source']),
      registry,
    },
    () => [],
  );
  stepType(
    {
      slug: 'clean_nulls',
      name: 'Clean nulls',
      description: 'Drops rows with too many nulls.',
      params: z.object({ threshold: z.number().min(0).max(1).default(0.5).describe('Largest share of nulls.') }),
      inputType: 'JSON',
      outputType: 'JSON',
      metadata: meta('cleaning'),
      registry,
    },
    (rows) => rows,
  );
  stepType(
    {
      slug: 'score_rows',
      inputType: 'JSON',
      outputType: 'JSON',
      mode: 'row_iterative',
      metadata: meta('rows'),
      registry,
    },
    (row) => row,
  );
  stepType(
    {
      slug: 'join',
      description: 'Joins two tables on a key column.',
      params: z.object({ on: z.string().describe('The key column.'), how: z.enum(['inner', 'left']).default('inner') }),
      inputType: 'JSON',
      inputs: { right: 'JSON' },
      outputType: 'JSON',
      metadata: meta('combine', ['merge']),
      registry,
    },
    (rows) => rows,
  );
  stepType(
    {
      slug: 'read_text',
      params: z.object({ path: z.string() }),
      outputType: 'Text',
      metadata: meta('io'),
      registry,
    },
    () => '',
  );
  stepType(
    {
      slug: 'nested',
      params: z.object({ options: z.object({ limit: z.number().int(), labels: z.array(z.string()) }).optional() }),
      inputType: 'Any',
      outputType: 'Any',
      registry,
    },
    (value) => value,
  );
  stepType(
    {
      slug: 'filter',
      description: 'Keeps the rows where an expression is true.',
      params: z.object({
        where: z.string().min(1).describe('An expression over the row `d`, e.g. "d.value > 0.2".'),
        columns: z.array(z.string()).default([]).describe('The columns to keep.'),
      }),
      inputType: 'JSON',
      outputType: 'JSON',
      metadata: meta('rows', ['where']),
      registry,
    },
    (rows) => rows,
  );
  return registry;
}

/** The test registry's catalog, as the server will send it. */
export function testCatalog(): Catalog {
  return JSON.parse(JSON.stringify(testRegistry().toJSON())) as Catalog;
}

/** The test catalog, indexed. */
export function testIndex(): CatalogIndex {
  return indexCatalog(testCatalog());
}

/** A document with these steps and nothing else. */
export function documentOf(steps: WorkflowDocument['steps'], extra: Partial<WorkflowDocument> = {}): WorkflowDocument {
  return {
    format: 'stepwise.workflow',
    version: 1,
    id: 'test',
    name: 'Test',
    description: '',
    inputs: {},
    steps,
    outputs: {},
    ...extra,
  };
}

/** A chain of `n` steps: a `read_rows` source, then `clean_nulls` steps that read their previous step. */
export function chain(n: number): WorkflowDocument {
  const steps: WorkflowDocument['steps'] = [{ id: 'load', type: 'read_rows', config: { path: 'rows.json' } }];
  for (let i = 1; i < n; i++) steps.push({ id: `clean_${i}`, type: 'clean_nulls', config: { threshold: 0.5 } });
  return documentOf(steps);
}
