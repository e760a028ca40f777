// "An expression or a column name that names a column that does not exist fails validation (not
// only the run) as CONFIG_INVALID with the path to the field": the table steps' `infer` hooks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JsonObject, type ValidationIssue, Workflow } from '@stepwise/core';
import { table } from 'arquero';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { resetFilesConfig } from '../files/data-root.js';
import { type JoinHow, joinedColumns, joinTables } from './join-step.js';
import { tempDataRoot } from './test-kit.js';

let root: string;
beforeAll(() => {
  root = tempDataRoot();
  writeFileSync(join(root, 'sales.csv'), 'id,region,price,qty\n1,north,2.5,3\n2,south,0.5,1\n');
  writeFileSync(join(root, 'customers.csv'), 'customer,name\n1,Ada\n');
});
afterAll(() => resetFilesConfig());

type StepSpec = [type: string, config: JsonObject, inputs?: Record<string, { step: string }>];

/** A workflow of steps with ids s0, s1, ... (the first reads sales.csv unless given). */
function workflow(...steps: StepSpec[]): Workflow {
  const wf = new Workflow({ id: 'columns' });
  steps.forEach(([type, config, inputs], i) => {
    wf.add(type, config, { id: `s${i}`, ...(inputs ? { inputs } : {}) });
  });
  return wf;
}

const sales: StepSpec = ['read_csv', { path: 'sales.csv' }];

function paths(issues: ValidationIssue[]): string[] {
  return issues.map((issue) => `${issue.code} ${issue.pathText}`);
}

describe('an expression that reads a missing column', () => {
  it('fails validation at steps[i].config.where, naming the column and the available ones', () => {
    const issues = workflow(sales, ['filter_rows', { where: 'd.pricee > 1' }]).validate();
    expect(issues).toEqual([
      {
        code: 'CONFIG_INVALID',
        path: ['steps', 1, 'config', 'where'],
        pathText: 'steps[1].config.where',
        message: expect.stringContaining('reads column "pricee", which the input does not have'),
        // the editor offers the close names without parsing the message
        suggestions: ['price'],
        actual: '"pricee"',
      },
    ]);
    expect(issues[0]?.message).toContain('available columns: id, region, price, qty.');
    expect(issues[0]?.message).toContain('step "s1" (filter_rows)');
  });

  it('makes fromJSON throw, so a bad document never loads', () => {
    const doc = workflow(sales, ['filter_rows', { where: 'd.pricee > 1' }]).toJSON();
    expect(() => Workflow.fromJSON(doc)).toThrow(/steps\[1\]\.config\.where/);
  });

  it('a derived column can be read by a later step, but not by its own step (as at run time)', () => {
    const later = workflow(
      sales,
      ['derive', { columns: { total: 'd.price * d.qty' } }],
      ['filter_rows', { where: 'd.total > 1' }],
    );
    expect(later.validate()).toEqual([]);
    const same = workflow(sales, ['derive', { columns: { total: 'd.price * d.qty', double: 'd.total * 2' } }]);
    expect(paths(same.validate())).toEqual(['CONFIG_INVALID steps[1].config.columns.double']);
  });

  it('the streaming variants check the same way', () => {
    const wf = workflow(
      ['read_csv_stream', { path: 'sales.csv' }],
      ['derive_stream', { columns: { t: 'd.qty' } }],
      ['filter_rows_stream', { where: 'd.t > 0 && d.nope' }],
    );
    expect(paths(wf.validate())).toEqual(['CONFIG_INVALID steps[2].config.where']);
    expect(wf.validate()[0]?.message).toContain('"nope"');
  });
});

describe('a column name that does not exist, at the path of the field that names it', () => {
  const cases: [StepSpec, string][] = [
    [['select', { columns: ['id', 'prise'] }], 'steps[1].config.columns[1]'],
    [['drop_columns', { columns: ['nope'] }], 'steps[1].config.columns[0]'],
    [['rename', { columns: { nope: 'x' } }], 'steps[1].config.columns.nope'],
    [['cast', { columns: { nope: 'number' } }], 'steps[1].config.columns.nope'],
    [['clean_nulls', { columns: ['price', 'nope'] }], 'steps[1].config.columns[1]'],
    [['fill_nulls', { values: { nope: 0 } }], 'steps[1].config.values.nope'],
    [['sort', { by: ['region', { column: 'nope', descending: true }] }], 'steps[1].config.by[1].column'],
    [['dedupe', { columns: ['nope'] }], 'steps[1].config.columns[0]'],
    [['aggregate', { groupBy: ['nope'] }], 'steps[1].config.groupBy[0]'],
    [['aggregate', { aggregates: [{ op: 'sum', column: 'nope' }] }], 'steps[1].config.aggregates[0].column'],
  ];
  it.each(cases)('%j fails at %s', (step, path) => {
    const issues = workflow(sales, step).validate();
    expect(paths(issues)).toEqual([`CONFIG_INVALID ${path}`]);
    expect(issues[0]?.message).toMatch(/"nope"|"prise"/);
  });

  it('drop_columns with ignoreMissing accepts a missing name', () => {
    expect(workflow(sales, ['drop_columns', { columns: ['nope'], ignoreMissing: true }]).validate()).toEqual([]);
  });

  it('shapes follow the steps: select, rename and drop_columns change what later steps may read', () => {
    const wf = workflow(
      sales,
      ['select', { columns: ['id', 'price'] }],
      ['rename', { columns: { price: 'cost' } }],
      ['filter_rows', { where: 'd.cost > 1 && d.price > 1' }],
    );
    const issues = wf.validate();
    expect(paths(issues)).toEqual(['CONFIG_INVALID steps[3].config.where']);
    expect(issues[0]?.message).toContain('"price"');
    expect(issues[0]?.message).toContain('available columns: id, cost.');
  });

  it('aggregate gives the group columns and the aggregate names: a column it dropped cannot be read', () => {
    const wf = workflow(
      sales,
      [
        'aggregate',
        { groupBy: ['region'], aggregates: [{ op: 'sum', column: 'price', as: 'total' }, { op: 'count' }] },
      ],
      ['filter_rows', { where: 'd.total > 1 && d.count > 0' }],
      ['sort', { by: ['price'] }],
    );
    const issues = wf.validate();
    expect(paths(issues)).toEqual(['CONFIG_INVALID steps[3].config.by[0]']);
    expect(issues[0]?.message).toContain('available columns: region, total, count.');
  });
});

describe('join', () => {
  const customers: StepSpec = ['read_csv', { path: 'customers.csv' }];
  const right = { input: { step: 's0' }, right: { step: 's1' } };

  it('a key missing on one side fails at its field, naming the side', () => {
    const leftMissing = workflow(sales, customers, ['join', { on: 'customer' }, right]).validate();
    expect(paths(leftMissing)).toEqual(['CONFIG_INVALID steps[2].config.on']);
    expect(leftMissing[0]?.message).toContain('not found in the left table (input)');
    const rightMissing = workflow(sales, customers, ['join', { on: 'id' }, right]).validate();
    expect(paths(rightMissing)).toEqual(['CONFIG_INVALID steps[2].config.on']);
    expect(rightMissing[0]?.message).toContain(
      'not found in the right table (right); available columns: customer, name.',
    );
  });

  it('rightOn names the right key; a count that differs from on fails; the joined columns flow on', () => {
    const ok = workflow(
      sales,
      customers,
      ['join', { on: 'id', rightOn: 'customer' }, right],
      ['select', { columns: ['id', 'name', 'customer'] }],
    );
    expect(ok.validate()).toEqual([]);
    const counts = workflow(sales, customers, ['join', { on: ['id', 'region'], rightOn: 'customer' }, right]);
    expect(paths(counts.validate())).toEqual(['CONFIG_INVALID steps[2].config.rightOn']);
  });

  it('predicts the columns the run gives, for every kind of join, same-named and differently named keys', () => {
    const left = table({ k: [1, 2], a: [1, 2], b: [3, 4] });
    const sameKey = table({ k: [1, 3], b: [5, 6], z: [7, 8] });
    const otherKey = table({ kk: [1, 3], b: [5, 6], k: [9, 9] });
    for (const how of ['inner', 'left', 'right', 'full'] as JoinHow[]) {
      for (const [rightTable, rightOn] of [
        [sameKey, undefined],
        [otherKey, ['kk']],
      ] as const) {
        const options = {
          on: ['k'],
          rightOn: rightOn ? [...rightOn] : undefined,
          how,
          suffixes: ['_l', '_r'] as [string, string],
        };
        const run = joinTables(left, rightTable, options).columnNames();
        expect(joinedColumns(left.columnNames(), rightTable.columnNames(), options), `${how} ${rightOn}`).toEqual(run);
      }
    }
  });
});

describe('what validation cannot know stays unknown, never a false error', () => {
  it('a CSV file that does not exist yet validates (an earlier step may write it)', () => {
    expect(
      workflow(['read_csv', { path: 'later.csv' }], ['filter_rows', { where: 'd.anything > 1' }]).validate(),
    ).toEqual([]);
  });

  it('a CSV written by an earlier step is not read from disk, where an old copy may lie', () => {
    mkdirSync(join(root, 'out'), { recursive: true });
    writeFileSync(join(root, 'out', 'stale.csv'), 'old_column\n1\n');
    const wf = workflow(
      sales,
      ['write_csv', { path: 'out/stale.csv' }],
      ['read_csv', { path: './out/stale.csv' }],
      ['filter_rows', { where: 'd.price > 1' }],
    );
    expect(wf.validate()).toEqual([]);
    const alone = workflow(['read_csv', { path: 'out/stale.csv' }], ['filter_rows', { where: 'd.price > 1' }]);
    expect(paths(alone.validate())).toEqual(['CONFIG_INVALID steps[1].config.where']);
  });

  it('read_json, sql and a path outside the data root give unknown columns', () => {
    writeFileSync(join(root, 'rows.json'), '[{"a":1}]');
    expect(workflow(['read_json', { path: 'rows.json' }], ['select', { columns: ['b'] }]).validate()).toEqual([]);
    expect(workflow(sales, ['sql', { query: 'SELECT 1 AS one' }], ['select', { columns: ['b'] }]).validate()).toEqual(
      [],
    );
    expect(workflow(['read_csv', { path: '../sales.csv' }], ['select', { columns: ['b'] }]).validate()).toEqual([]);
  });

  it('reads only the header: quoted names and another delimiter; a header longer than the first block is unknown', () => {
    writeFileSync(join(root, 'semi.csv'), '"a;1";"b ""q"""\r\nx;y\n');
    const semi = workflow(['read_csv', { path: 'semi.csv', delimiter: ';' }], ['select', { columns: ['a;1', 'c'] }]);
    expect(semi.validate()[0]?.message).toContain('available columns: a;1, b "q".');
    writeFileSync(join(root, 'wide.csv'), `${Array.from({ length: 20_000 }, (_, i) => `column_${i}`).join(',')}\n`);
    expect(workflow(['read_csv', { path: 'wide.csv' }], ['select', { columns: ['nope'] }]).validate()).toEqual([]);
  });

  it('read_parquet knows the columns it was asked for', () => {
    const wf = workflow(['read_parquet', { path: 'any.parquet', columns: ['a'] }], ['select', { columns: ['b'] }]);
    expect(paths(wf.validate())).toEqual(['CONFIG_INVALID steps[1].config.columns[0]']);
  });
});
