import { RuntimeContext, registry, type StepContext, stepType, Workflow, WorkflowRunner } from '@stepwise/core';
import { type ColumnTable, table } from 'arquero';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import '../index.js';
import { concatDataFrames } from '../data-type/dataframe-type.js';
import { expectSameTable, tableArb } from '../kernels/test-kit.js';
import { AggregateFold } from './aggregate-fold.js';
import { type AggregateSpec, aggregateTable } from './aggregate-step.js';
import { aggregateStream } from './streaming-steps.js';
import { fakeContext } from './test-kit.js';

const ops = ['count', 'sum', 'mean', 'min', 'max', 'distinct_count'] as const;
const spec = fc.oneof(
  fc.constant<AggregateSpec>({ op: 'count' }),
  fc
    .tuple(fc.constantFrom(...ops), fc.constantFrom('a', 'b', 'g'), fc.option(fc.constantFrom('x', 'g', '1', 'a')))
    .map(([op, column, as]): AggregateSpec => (as === null ? { op, column } : { op, column, as })),
);
// duplicate output names and an aggregate named like a group column are allowed, as in aggregate
const specs = fc.array(spec, { minLength: 1, maxLength: 5 });
const groupBy = fc.constantFrom<string[]>([], ['g'], ['g', 'keep'], ['keep', 'g', 'g']);

/** The table cut into chunks of the given sizes (the last takes the rest); some chunks reified, as a step would hand them on. */
function cut(df: ColumnTable, sizes: readonly number[], reify: readonly boolean[]): ColumnTable[] {
  const chunks: ColumnTable[] = [];
  let start = 0;
  sizes.forEach((size, i) => {
    const end = i === sizes.length - 1 ? df.numRows() : Math.min(df.numRows(), start + size);
    const chunk = df.slice(start, end);
    chunks.push(reify[i] ? chunk.reify() : chunk);
    start = end;
  });
  return chunks;
}

const chunking = fc.tuple(
  fc.array(fc.nat({ max: 25 }), { minLength: 1, maxLength: 6 }),
  fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
);

function fold(chunks: readonly ColumnTable[], by: readonly string[], list: readonly AggregateSpec[]): ColumnTable {
  const folding = new AggregateFold(by, list, 'aggregate_stream');
  for (const chunk of chunks) folding.add(chunk);
  return folding.result();
}

describe('aggregate_stream folds chunk by chunk to what aggregate gives on all the rows', () => {
  for (const kind of ['numeric', 'mixed'] as const) {
    it(`the same groups, order, names and values (Object.is) on ${kind} tables cut anyhow`, () => {
      fc.assert(
        fc.property(tableArb(kind), chunking, groupBy, specs, (df, [sizes, reify], by, list) => {
          const chunks = cut(df, sizes, reify);
          expectSameTable(fold(chunks, by, list), aggregateTable(concatDataFrames(chunks), by, list));
        }),
        { numRuns: 200 },
      );
    });
  }

  it('groups keys as Arquero does across chunks (1 and "1", null and "null", NaN, 0 and -0, dates)', () => {
    const day = new Date(Date.UTC(2024, 0, 1));
    const chunks = [
      table({ g: [1, '1', null, undefined], v: [1, 2, 3, 4] }),
      table({ g: ['null', Number.NaN, 0, -0], v: [5, 6, 7, 8] }),
      table({ g: [Number.NaN, +day, new Date(+day), 1], v: [9, 10, 11, 12] }),
    ];
    const list: AggregateSpec[] = [
      { op: 'count', as: 'n' },
      { op: 'sum', column: 'v' },
    ];
    const folded = fold(chunks, ['g'], list);
    expectSameTable(folded, aggregateTable(concatDataFrames(chunks), ['g'], list));
    expect(folded.numRows()).toBe(8);
  });

  it('sums text and BigInt as Arquero does, and fails as it does when BigInt meets a number', () => {
    const text = [table({ v: ['1.5', 'x'] }), table({ v: ['2', true] })];
    const list: AggregateSpec[] = [
      { op: 'sum', column: 'v' },
      { op: 'mean', column: 'v' },
      { op: 'min', column: 'v' },
    ];
    expectSameTable(fold(text, [], list), aggregateTable(concatDataFrames(text), [], list));
    const big = [table({ v: [1n, 2n] }), table({ v: [3n] })];
    expect(fold(big, [], [{ op: 'sum', column: 'v' }]).array('sum_v')).toEqual([6n]);
    const mixed = [table({ v: [1n] }), table({ v: [2] })];
    expect(() => aggregateTable(concatDataFrames(mixed), [], [{ op: 'sum', column: 'v' }])).toThrow(TypeError);
    expect(() => fold(mixed, [], [{ op: 'sum', column: 'v' }])).toThrow(TypeError);
  });

  it('an empty stream and a missing column answer as aggregate does, naming the step', () => {
    expectSameTable(fold([], [], [{ op: 'count' }]), aggregateTable(table({}), [], [{ op: 'count' }]));
    expect(() => fold([table({ a: [1] })], ['g'], [{ op: 'count' }])).toThrow(
      expect.objectContaining({ code: 'COLUMN_NOT_FOUND', message: expect.stringMatching(/^aggregate_stream: /) }),
    );
  });

  it('the step yields one table, the fold of its input', async () => {
    async function* stream() {
      yield table({ g: ['a', 'b'], v: [1, 2] });
      yield table({ g: ['b', 'c'], v: [3, null] });
    }
    const fn = aggregateStream.fn as (i: unknown, p: unknown, c: StepContext) => AsyncIterable<ColumnTable>;
    const params = aggregateStream.params.parse({ groupBy: ['g'], aggregates: [{ op: 'mean', column: 'v' }] });
    const out: ColumnTable[] = [];
    for await (const chunk of fn(stream(), params, fakeContext())) out.push(chunk);
    expect(out.map((t) => t.objects())).toEqual([
      [
        { g: 'a', mean_v: 1 },
        { g: 'b', mean_v: 2.5 },
        { g: 'c', mean_v: null },
      ],
    ]);
  });
});

/**
 * Chunk accounting: a source whose chunk k stops answering (its columns are revoked proxies) once
 * chunk k + 2 is asked for. A consumer that keeps rows to read them later (concat, a buffer) fails
 * on a revoked chunk; one that folds each chunk as it comes never touches one, so at most two
 * chunks of rows are ever readable, however long the stream.
 */
const CHUNKS = 60;
const CHUNK_ROWS = 500;
let touchedRevoked = false;

stepType(
  {
    slug: 'test_revoking_source',
    params: z.object({}),
    outputType: 'DataFrame',
    mode: 'streaming',
    registry,
  },
  async function* () {
    const revoked: boolean[] = [];
    for (let k = 0; k < CHUNKS; k++) {
      if (k >= 2) revoked[k - 2] = true;
      const column = (make: (i: number) => unknown) =>
        new Proxy(
          Array.from({ length: CHUNK_ROWS }, (_, i) => make(k * CHUNK_ROWS + i)),
          {
            get(target, key, receiver) {
              if (revoked[k]) {
                touchedRevoked = true;
                throw new Error(`chunk ${k} read after chunk ${k + 2} was asked for`);
              }
              return Reflect.get(target, key, receiver);
            },
          },
        );
      yield table({ g: column((i) => `g${i % 7}`), v: column((i) => (i % 13) / 4) });
    }
  },
);

async function runRevoking(aggregateType: 'aggregate' | 'aggregate_stream') {
  touchedRevoked = false;
  const wf = new Workflow({ id: `revoking_${aggregateType}`, name: 'Revoking source' });
  wf.add('test_revoking_source', {}, { id: 'source' });
  wf.add('filter_rows_stream', { where: 'd.v > 0.5' }, { id: 'keep' });
  wf.add(aggregateType, { groupBy: ['g'], aggregates: [{ op: 'count' }, { op: 'mean', column: 'v' }] }, { id: 'by' });
  const context = new RuntimeContext();
  const run = await new WorkflowRunner().run(wf, { context });
  return { run, context };
}

describe('aggregate_stream through the runner holds at most two chunks of a long stream', () => {
  it('folds every chunk without reading one after the next but one was asked for', async () => {
    const { run, context } = await runRevoking('aggregate_stream');
    expect(run.steps.get('by')?.error).toBeUndefined();
    expect(run.status).toBe('completed');
    expect(touchedRevoked).toBe(false);
    const out = context.get(run.steps.get('by')?.output as string) as ColumnTable;
    // the same figures computed from the generating formula
    const rows = Array.from({ length: CHUNKS * CHUNK_ROWS }, (_, i) => ({ g: `g${i % 7}`, v: (i % 13) / 4 }));
    const whole = aggregateTable(
      table({ g: rows.map((r) => r.g), v: rows.map((r) => r.v) }).filter('d.v > 0.5'),
      ['g'],
      [{ op: 'count' }, { op: 'mean', column: 'v' }],
    );
    expectSameTable(out, whole);
  });

  it('the batch aggregate after a stream needs every chunk at the end, so it fails on this source', async () => {
    const { run } = await runRevoking('aggregate');
    expect(run.status).toBe('failed');
    const errors = [...run.steps.values()].map((step) => step.error?.message).filter(Boolean);
    expect(errors).toEqual([expect.stringMatching(/chunk \d+ read after chunk \d+ was asked for/)]);
    expect(touchedRevoked).toBe(true);
  });
});
