// Data is untrusted input too: a column named after an Object.prototype key works like any other
// name on every path, pushed down to DuckDB or not, and `__proto__`, which Arquero's tables cannot
// hold, is refused where it enters, naming the file (and line) or the config field.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JsonObject, registry, Workflow, WorkflowRunner } from '@stepwise/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import '../index.js';
import { openDuckDB, quoteLiteral } from '../duckdb/duckdb-tables.js';
import { configurePushdown, resetPushdownConfig } from '../pushdown/pushdown-config.js';
import { tempDataRoot } from '../steps/test-kit.js';
import { COLUMN_NAME_REFUSED } from './column-names.js';

afterEach(() => resetPushdownConfig());

type Step = [type: string, config: JsonObject];

/** Runs the steps (the first reads, the last writes `out`), answers the written file or the failure. */
async function run(root: string, steps: Step[], out: string, pushdown: boolean) {
  configurePushdown({ enabled: pushdown });
  const wf = new Workflow({ id: 'names', name: 'Names', registry });
  for (const [i, [type, config]] of steps.entries()) wf.add(type, config, { id: `s${i}` });
  const result = await new WorkflowRunner().run(wf);
  if (result.status !== 'completed') {
    const error = result.error as { code?: string; message?: string };
    return { code: error.code, message: error.message };
  }
  return { file: readFileSync(join(root, out), 'utf8') };
}

/** Object.prototype's keys but `__proto__`: names a table holds like any other. */
const HELD = Object.getOwnPropertyNames(Object.prototype).filter((name) => name !== '__proto__');
/** Names the expression language refuses after `d.` (docs/expressions.md): no expression steps on them. */
const NOT_IN_EXPRESSIONS = new Set(['constructor', 'prototype']);

/**
 * Steps that group, aggregate, filter, rename, sort, join and select column `n`; the expression
 * steps only when `name` (the name under test) may appear in an expression.
 */
function chains(n: string, name: string): Step[][] {
  const J = JSON.stringify(n);
  const list: Step[][] = [
    [['aggregate', { groupBy: ['b'], aggregates: [{ op: 'sum', column: n, as: 's' }] }]],
    [
      [
        'aggregate',
        {
          groupBy: [n],
          aggregates: [
            { op: 'count', as: 'count' },
            { op: 'max', column: 'b' },
          ],
        },
      ],
    ],
    [['aggregate', { groupBy: ['b'], aggregates: [{ op: 'mean', column: 'b', as: n }] }]],
    [
      ['select', { columns: [n] }],
      ['sort', { by: [{ column: n, descending: true }] }],
    ],
    [
      ['rename', { columns: { b: `${n}2` } }],
      ['drop_columns', { columns: [n] }],
    ],
    [['join', { on: n, how: 'left' }]],
    [
      ['cast', { columns: { b: 'string' } }],
      ['dedupe', { columns: [n] }],
    ],
  ];
  if (!NOT_IN_EXPRESSIONS.has(name)) {
    list.push([
      ['filter_rows', { where: `d[${J}] > 1` }],
      ['derive', { columns: { x: `d[${J}] * 2 + d.b` } }],
    ]);
    list.push([['derive', { columns: { [n]: 'd.b * 10' } }]]);
    list.push([['rename', { columns: { [n]: 'z' } }]]);
  }
  return list;
}

describe('columns named after Object.prototype keys', () => {
  it('work like any other name, with pushdown on and off, from CSV, JSON and Parquet, to CSV and JSON', async () => {
    const root = tempDataRoot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...HELD),
        fc.nat(),
        fc.constantFrom('csv', 'json'),
        fc.constantFrom('csv', 'json', 'parquet'),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 }),
        async (name, pick, out, source, values) => {
          const outcome = async (n: string, pushdown: boolean) => {
            const rows = values.map((v, i) => ({ [n]: v, b: i % 2 }));
            const csv = `${n},b\n${rows.map((r) => `${r[n]},${r.b}`).join('\n')}\n`;
            writeFileSync(join(root, 'in.csv'), csv);
            writeFileSync(join(root, 'right.csv'), `${n},r\n0,zero\n2,two\n`);
            if (source === 'json') writeFileSync(join(root, 'in.json'), JSON.stringify(rows));
            if (source === 'parquet') {
              const db = await openDuckDB();
              try {
                await db.connection.run(
                  `COPY (FROM read_csv(${quoteLiteral(join(root, 'in.csv'))})) TO ${quoteLiteral(join(root, 'in.parquet'))} (FORMAT parquet)`,
                );
              } finally {
                db.close();
              }
            }
            const list = chains(n, name);
            const steps = list[pick % list.length] as Step[];
            const wf = new Workflow({ id: 'names', name: 'Names', registry });
            wf.add(`read_${source}`, { path: `in.${source}` }, { id: 'load' });
            wf.add('read_csv', { path: 'right.csv' }, { id: 'right' });
            steps.forEach(([type, config], i) => {
              const inputs = { input: { step: i === 0 ? 'load' : `s${i - 1}` }, right: { step: 'right' } };
              wf.add(type, config, { id: `s${i}`, inputs: type === 'join' ? inputs : { input: inputs.input } });
            });
            wf.add(
              `write_${out}`,
              { path: `out.${out}` },
              { id: 'save', inputs: { input: { step: `s${steps.length - 1}` } } },
            );
            configurePushdown({ enabled: pushdown });
            const result = await new WorkflowRunner().run(wf);
            if (result.status !== 'completed') return { error: JSON.stringify(result.error) };
            return { file: readFileSync(join(root, `out.${out}`), 'utf8') };
          };
          // the same chain on an ordinary name is the reference, its name swapped for `name`
          const control = await outcome('c0', false);
          expect(control.error).toBeUndefined();
          const expected = (control.file as string).replaceAll('c0', name);
          for (const pushdown of [false, true]) expect(await outcome(name, pushdown)).toEqual({ file: expected });
        },
      ),
      { numRuns: Number(process.env.NAMES_RUNS ?? 40) },
    );
    expect(Object.prototype).not.toHaveProperty('b');
    expect(Object.prototype).not.toHaveProperty('c0');
  }, 600_000);
});

describe('a column named __proto__', () => {
  it('is refused by read_csv naming the file and line, with pushdown on and off (it used to give 0 rows)', async () => {
    const root = tempDataRoot();
    writeFileSync(join(root, 'in.csv'), '__proto__,b\n1,2\n3,4\n');
    const steps: Step[] = [
      ['read_csv', { path: 'in.csv' }],
      ['aggregate', { groupBy: ['b'], aggregates: [{ op: 'sum', column: '__proto__', as: 's' }] }],
      ['write_csv', { path: 'out.csv' }],
    ];
    for (const pushdown of [true, false]) {
      const outcome = await run(root, steps, 'out.csv', pushdown);
      expect(outcome.code).toBe(COLUMN_NAME_REFUSED);
      expect(outcome.message).toMatch(/^in\.csv:1: column name "__proto__" cannot be used .*every other name works/);
    }
    // the same file with the column renamed gives the two groups
    writeFileSync(join(root, 'in.csv'), 'p,b\n1,2\n3,4\n');
    const renamed = steps.map(
      ([type, config]): Step => [type, JSON.parse(JSON.stringify(config).replace('"__proto__"', '"p"'))],
    );
    for (const pushdown of [true, false]) {
      expect(await run(root, renamed, 'out.csv', pushdown)).toEqual({ file: 'b,s\n2,1\n4,3\n' });
    }
  });

  it('is refused by read_csv_stream, read_json (naming the item) and read_parquet', async () => {
    const root = tempDataRoot();
    writeFileSync(join(root, 'in.csv'), 'a,b\n1,2\n3,4\n');
    writeFileSync(join(root, 'deep.csv'), '"__proto__",b\n1,2\n');
    writeFileSync(join(root, 'in.json'), '[{"a":1},{"a":2,"__proto__":3}]');
    writeFileSync(join(root, 'in.ndjson'), '{"a":1}\n{"__proto__":{"polluted":true}}\n');
    const db = await openDuckDB();
    try {
      await db.connection.run(
        `COPY (SELECT 1 AS "__proto__", 2 AS b) TO ${quoteLiteral(join(root, 'in.parquet'))} (FORMAT parquet)`,
      );
    } finally {
      db.close();
    }
    const cases: [Step[], RegExp][] = [
      [
        [
          ['read_csv_stream', { path: 'deep.csv' }],
          ['write_csv_stream', { path: 'out.csv' }],
        ],
        /^deep\.csv:1: /,
      ],
      [
        [
          ['read_json', { path: 'in.json' }],
          ['write_json', { path: 'out.json' }],
        ],
        /^in\.json: item 1: /,
      ],
      [
        [
          ['read_json', { path: 'in.ndjson' }],
          ['write_json', { path: 'out.json' }],
        ],
        /^in\.ndjson: item 1: /,
      ],
      [
        [
          ['read_parquet', { path: 'in.parquet' }],
          ['write_csv', { path: 'out.csv' }],
        ],
        /^in\.parquet: /,
      ],
    ];
    for (const [steps, where] of cases) {
      for (const pushdown of [true, false]) {
        const outcome = await run(root, steps, 'out.csv', pushdown);
        expect(outcome.code).toBe(COLUMN_NAME_REFUSED);
        expect(outcome.message).toMatch(where);
      }
    }
    const sql: Step[] = [
      ['read_csv', { path: 'in.csv' }],
      ['sql', { query: 'SELECT a AS "__proto__", b FROM input' }],
      ['write_csv', { path: 'out.csv' }],
    ];
    const outcome = await run(root, sql, 'out.csv', false);
    expect(outcome.code).toBe(COLUMN_NAME_REFUSED);
    expect(outcome.message).toMatch(/^sql: the result of config field "query": column name "__proto__"/);
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('is refused as a new name in a step config, naming the field', () => {
    const wf = new Workflow({ id: 'cfg', name: 'Cfg', registry });
    wf.add('read_csv', { path: 'in.csv' }, { id: 'load' });
    wf.add('rename', { columns: { a: '__proto__' } }, { id: 'r' });
    wf.add('aggregate', { groupBy: ['a'], aggregates: [{ op: 'count', as: '__proto__' }] }, { id: 'g' });
    const issues = wf.validate().map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(issues).toEqual([
      expect.stringMatching(
        /^steps\.1\.config\.columns\.a: .*column name "__proto__" cannot be used.*choose another name/,
      ),
      expect.stringMatching(/^steps\.2\.config\.aggregates\.0\.as: .*column name "__proto__" cannot be used/),
    ]);
  });
});
