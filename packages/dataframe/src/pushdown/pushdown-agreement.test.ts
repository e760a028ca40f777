// Results are the same with pushdown on and off: generated tables through generated chains of
// pushable steps, every step's output compared (values, column kinds, row order), and the file a
// pushed-down writer writes compared with the one the step-by-step writer writes.
import { type JsonObject, materializeValue, RuntimeContext, registry, Workflow, WorkflowRunner } from '@stepwise/core';
import { type ColumnTable, table } from 'arquero';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import '../index.js';
import { kindOf } from '../data-type/column-types.js';
import { isLazy } from '../data-type/dataframe-type.js';
import { writeCsv } from '../steps/io-steps.js';
import { type JoinOptions, joinedColumns } from '../steps/join-step.js';
import { readParquet, writeParquet } from '../steps/parquet-steps.js';
import { runStep, tempDataRoot } from '../steps/test-kit.js';
import { guessKindsFrom } from './lazy-sources.js';
import { configurePushdown, resetPushdownConfig } from './pushdown-config.js';

afterEach(() => resetPushdownConfig());

interface Row {
  id: number;
  g: string | null;
  v: number | null;
  f: boolean | null;
}

const rowArb: fc.Arbitrary<Row> = fc.record({
  id: fc.integer({ min: -5, max: 20 }),
  g: fc.constantFrom('a', 'b', 'B', 'ä', '', null),
  v: fc.constantFrom(-2.5, -1, 0, -0, 0.1, 0.2, 0.5, 1, 1.25, 3, 1e9, null),
  f: fc.constantFrom(true, false, null),
});

/** The right table's rows: keys that match some left rows (id, g), and values w with NaN, -0 and null. */
const otherArb = fc.record({
  id: fc.integer({ min: -2, max: 6 }),
  g: fc.constantFrom('a', 'b', 'ä', '', null),
  w: fc.constantFrom(-1, 0, -0, 0.5, 1, Number.NaN, Number.POSITIVE_INFINITY, null),
});

type Step = { type: string; config: JsonObject };

/** The columns of the right table a generated `join` reads (see `other` in the property). */
const RIGHT = new Map([
  ['id', 'n'],
  ['g', 's'],
  ['w', 'n'],
]);

/** The columns after a join, by joinedColumns' rule, each with its side's kind. */
function joined(left: Map<string, string>, config: JsonObject): Map<string, string> {
  const list = (keys: unknown) => (keys === undefined ? undefined : ([keys].flat() as string[]));
  const options: JoinOptions = {
    on: list(config.on) ?? [],
    rightOn: list(config.rightOn),
    how: config.how as JoinOptions['how'],
    suffixes: ['_left', '_right'],
  };
  const names = joinedColumns([...left.keys()], [...RIGHT.keys()], options);
  const kind = (name: string) =>
    left.get(name) ??
    RIGHT.get(name) ??
    (name.endsWith('_left') ? left.get(name.slice(0, -5)) : RIGHT.get(name.slice(0, -6))) ??
    'n';
  return new Map(names.map((name) => [name, kind(name)]));
}

/** The joins, dedupes, casts and `||` that apply to a table with these columns. */
function moreChoices(
  columns: Map<string, string>,
  add: (type: string, config: JsonObject, next?: Map<string, string>) => void,
) {
  const has = (name: string, kind?: string) => columns.has(name) && (kind === undefined || columns.get(name) === kind);
  const join = (config: JsonObject) => add('join', config, joined(columns, config));
  for (const how of ['inner', 'left', 'right', 'full']) {
    if (has('id', 'n')) join({ on: 'id', how });
    if (has('g', 's')) join({ on: 'g', how });
    if (has('id', 'n') && has('g', 's')) join({ on: ['g', 'id'], how });
    // NaN, -0 and Infinity keys, once v has been divided by zero or negated
    if (has('v', 'n')) join({ on: 'v', rightOn: 'w', how });
  }
  add('dedupe', { columns: [] });
  if (has('g', 's')) add('dedupe', { columns: ['g'] });
  if (has('v', 'n')) add('dedupe', { columns: ['v'] });
  if (has('g', 's') && has('f', 'b')) add('dedupe', { columns: ['f', 'g'] });
  if (has('v', 'n')) {
    const to = (kind: string) => new Map([...columns, ['v', kind]]);
    add('cast', { columns: { v: 'number' }, onError: 'null' });
    add('cast', { columns: { v: 'integer' }, onError: 'null' });
    add('cast', { columns: { v: 'boolean' } }, to('b'));
    add('cast', { columns: { v: 'number' } });
    // not pushed: JavaScript's number formatting
    add('cast', { columns: { v: 'string' } }, to('s'));
    add('derive', { columns: { z: 'd.v || 7', v: 'd.v || null' } }, new Map([...columns, ['z', 'n']]));
  }
  if (has('f', 'b')) {
    add('cast', { columns: { f: 'number' } }, new Map([...columns, ['f', 'n']]));
    add('cast', { columns: { f: 'string' } }, new Map([...columns, ['f', 's']]));
    add('cast', { columns: { f: 'date' }, onError: 'null' }, new Map([...columns, ['f', 'd']]));
  }
  if (has('g', 's')) {
    add('cast', { columns: { g: 'string' } });
    add('derive', { columns: { g: "d.g || 'none'" } });
  }
}

/** The steps that apply to a table with these columns (name → kind), and the columns after each. */
function choices(columns: Map<string, string>): [Step, Map<string, string>][] {
  const has = (name: string, kind?: string) => columns.has(name) && (kind === undefined || columns.get(name) === kind);
  const same = columns;
  const out: [Step, Map<string, string>][] = [];
  const add = (type: string, config: JsonObject, next: Map<string, string> = same) =>
    out.push([{ type, config }, next]);
  add('head', { n: 3 });
  add('head', { n: 0 });
  if (has('v', 'n')) {
    add('filter_rows', { where: 'd.v > 0.2' });
    add('filter_rows', { where: 'd.v == null || d.v < 1' });
    add('derive', { columns: { w: 'd.v * 2 + 1' } }, new Map([...columns, ['w', 'n']]));
    add('derive', { columns: { v: '-d.v / 4', z: 'd.v ?? 0' } }, new Map([...columns, ['v', 'n'], ['z', 'n']]));
    add('clean_nulls', { threshold: 0, columns: ['v'] });
    // v / 0: Infinity, -Infinity and NaN, which DuckDB compares otherwise than JavaScript
    add('derive', { columns: { v: 'd.v / (d.v - d.v)' } });
    add('sort', { by: [{ column: 'v', descending: true }] });
    add('sort', { by: ['v'] });
  }
  if (has('f', 'b')) add('filter_rows', { where: 'd.f' });
  if (has('f', 'b') && has('v', 'n')) add('filter_rows', { where: '!d.f && d.v != null' });
  if (has('g', 's')) {
    add('filter_rows', { where: "d.g === 'a' || d.g == null" });
    add(
      'derive',
      { columns: { upper: 'op.upper(d.g)', hit: "op.startswith(d.g, 'a')" } },
      new Map([...columns, ['upper', 's'], ['hit', 'b']]),
    );
    add('sort', { by: ['g'] });
  }
  if (has('g', 's') && has('v', 'n')) {
    const aggregates = [
      { op: 'count' },
      { op: 'sum', column: 'v' },
      { op: 'mean', column: 'v' },
      { op: 'max', column: 'v' },
    ];
    const after = new Map([
      ['g', 's'],
      ['count', 'n'],
      ['sum_v', 'n'],
      ['mean_v', 'n'],
      ['max_v', 'n'],
    ]);
    add('aggregate', { groupBy: ['g'], aggregates }, after);
    add('aggregate', { groupBy: [], aggregates: [{ op: 'count', column: 'v', as: 'n' }] }, new Map([['n', 'n']]));
  }
  if (has('id', 'n') && has('f', 'b'))
    add(
      'aggregate',
      { groupBy: ['f'], aggregates: [{ op: 'min', column: 'id' }] },
      new Map([
        ['f', 'b'],
        ['min_id', 'n'],
      ]),
    );
  if (columns.size > 1) {
    const [first] = columns.keys();
    add('select', { columns: [...columns.keys()].reverse() }, new Map([...columns].reverse()));
    add('drop_columns', { columns: [first as string] }, new Map([...columns].slice(1)));
    add(
      'rename',
      { columns: { [first as string]: `${first}_renamed` } },
      new Map([...columns].map(([k, v]) => [k === first ? `${k}_renamed` : k, v])),
    );
  }
  add('clean_nulls', { threshold: 0.5 });
  moreChoices(columns, add);
  return out;
}

function pipeline(picks: number[]): Step[] {
  let columns = new Map([
    ['id', 'n'],
    ['g', 's'],
    ['v', 'n'],
    ['f', 'b'],
  ]);
  return picks.map((pick) => {
    const options = choices(columns);
    const [step, next] = options[pick % options.length] as [Step, Map<string, string>];
    columns = next;
    return step;
  });
}

/** The step a run failed at, and its error. */
interface Failure {
  step: string;
  code: string | undefined;
  message: string | undefined;
}

/**
 * Runs read_parquet → steps → write_parquet (a join's right input read from `other`) and answers
 * every completed step's output, materialized, the types of the steps whose output was lazy, and
 * the failure of a run that failed (a chain may fail, e.g. a cast of NaN to number: it must fail
 * alike with pushdown on and off).
 */
async function runChain(
  steps: Step[],
  source: string,
  pushdown: boolean,
  out: string,
): Promise<{ outputs: ColumnTable[]; lazy: string[]; failure?: Failure }> {
  configurePushdown({ enabled: pushdown });
  const wf = new Workflow({ id: 'chain', name: 'Chain', registry });
  wf.add(`read_${source}`, { path: `other.${source}` }, { id: 'other' });
  wf.add(`read_${source}`, { path: `input.${source}` }, { id: 'load' });
  steps.forEach((step, i) => {
    const before = i === 0 ? 'load' : `s${i - 1}`;
    const inputs = { input: { step: before }, right: { step: 'other' } };
    wf.add(step.type, step.config, { id: `s${i}`, ...(step.type === 'join' ? { inputs } : {}) });
  });
  wf.add('write_parquet', { path: out }, { id: 'save' });
  const context = new RuntimeContext();
  const run = await new WorkflowRunner().run(wf, { context });
  const outputs: ColumnTable[] = [];
  const lazy: string[] = [];
  for (const [id, type] of [['load', 'read'], ...steps.map((step, i) => [`s${i}`, step.type])] as const) {
    const output = run.steps.get(id)?.output;
    if (run.status !== 'completed' && output === undefined) break;
    const value = context.get(output as string);
    if (isLazy(value)) lazy.push(type);
    outputs.push((await materializeValue(registry, 'DataFrame', value)) as ColumnTable);
  }
  if (run.status !== 'completed') {
    const step = [...run.steps].find(([, state]) => state.status === 'failed')?.[0];
    const error = run.error as { code?: string; message?: string } | undefined;
    if (step === undefined || error === undefined) throw new Error(`run ${run.status}: ${JSON.stringify(run.error)}`);
    return { outputs, lazy, failure: { step, code: error.code, message: error.message } };
  }
  const written = await runStep(readParquet, undefined, { path: out });
  outputs.push((await materializeValue(registry, 'DataFrame', written)) as ColumnTable);
  return { outputs, lazy };
}

/** Numbers equal, or for means (a running mean in JavaScript, sum / count in DuckDB) within 1e-12 relative. */
function sameTable(lazy: ColumnTable, eager: ColumnTable): void {
  expect(lazy.columnNames()).toEqual(eager.columnNames());
  const a = lazy.objects() as Record<string, unknown>[];
  const b = eager.objects() as Record<string, unknown>[];
  // the kinds of the values each column holds (describeColumns would look at rows a view hides)
  const kinds = (rows: Record<string, unknown>[]) =>
    lazy.columnNames().map((name) => [...new Set(rows.map((row) => kindOf(row[name])))].sort());
  expect(kinds(a)).toEqual(kinds(b));
  expect(a.length).toBe(b.length);
  a.forEach((row, r) => {
    for (const name of lazy.columnNames()) {
      const x = row[name];
      const y = (b[r] as Record<string, unknown>)[name];
      // an infinite mean is exact on both sides (Infinity - Infinity would be NaN)
      if (
        name.startsWith('mean') &&
        typeof x === 'number' &&
        typeof y === 'number' &&
        Number.isFinite(x) &&
        Number.isFinite(y)
      )
        expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(y)));
      else expect(x).toEqual(y);
    }
  });
}

describe('pushdown agreement', () => {
  it('gives the same outputs at every step, and the same written file, with pushdown on and off', async () => {
    tempDataRoot();
    let pushed = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('parquet', 'csv'),
        // the right table of joins: fewer rows than the left, as many, or more (Arquero scans the larger)
        fc.array(otherArb, { minLength: 0, maxLength: 30 }),
        async (rows, picks, source, others) => {
          const data = table({
            id: rows.map((r) => r.id),
            g: rows.map((r) => r.g),
            v: rows.map((r) => r.v),
            f: rows.map((r) => r.f),
          });
          const other = table({
            id: others.map((r) => r.id),
            g: others.map((r) => r.g),
            w: others.map((r) => r.w),
          });
          const write = source === 'csv' ? writeCsv : writeParquet;
          await runStep(write, data, { path: `input.${source}` });
          await runStep(write, other, { path: `other.${source}` });
          const steps = pipeline(picks);
          const off = await runChain(steps, source, false, 'off.parquet');
          const on = await runChain(steps, source, true, 'on.parquet');
          expect(off.lazy).toEqual([]);
          expect(on.failure).toEqual(off.failure);
          expect(on.outputs.length).toBe(off.outputs.length);
          pushed += on.lazy.length;
          on.outputs.forEach((output, i) => {
            sameTable(output, off.outputs[i] as ColumnTable);
          });
          if (source !== 'csv') return;
          // the kinds guessed from the first row, each value checked by the query's guards
          guessKindsFrom(32);
          try {
            const guessed = await runChain(steps, source, true, 'guessed.parquet');
            expect(guessed.failure).toEqual(off.failure);
            expect(guessed.outputs.length).toBe(off.outputs.length);
            guessed.outputs.forEach((output, i) => {
              sameTable(output, off.outputs[i] as ColumnTable);
            });
          } finally {
            guessKindsFrom(undefined);
          }
        },
      ),
      {
        numRuns: Number(process.env.PUSHDOWN_RUNS ?? 20),
        ...(process.env.PUSHDOWN_SEED ? { seed: Number(process.env.PUSHDOWN_SEED) } : {}),
      },
    );
    expect(pushed).toBeGreaterThan(20);
  }, 900_000);
});
