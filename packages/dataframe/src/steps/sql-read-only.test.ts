// The sql step runs one read-only SELECT: statements that write, load, attach or configure are
// refused before DuckDB sees them (by the check validation makes too), then by DuckDB's own statement type, and DuckDB's settings confine what a
// SELECT may read to the data root (symlinks resolved).
import { existsSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StepRegistry, validateDocument } from '@stepwise/core';
import { table } from 'arquero';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataFrameType } from '../data-type/dataframe-type.js';
import { sql } from './sql-step.js';
import { fakeContext, runStep, tempDataRoot } from './test-kit.js';

let root: string;
let outside: string;
const input = () => table({ region: ['north', 'south'], value: [1, 2] });

beforeAll(() => {
  root = tempDataRoot();
  outside = mkdtempSync(join(tmpdir(), 'sw-sql-outside-'));
  writeFileSync(join(root, 'in.csv'), 'a,b\n1,2\n');
  writeFileSync(join(outside, 'secret.csv'), 'secret\nhunter2\n');
  symlinkSync(join(outside, 'secret.csv'), join(root, 'link.csv'));
  symlinkSync(outside, join(root, 'outside-dir'));
});

const run = (query: string) => runStep(sql, input(), { query });
/** The step's function called with the query as given, its params not parsed: the step's own check at run time. */
const runUnparsed = async (query: string) => sql.fn(input(), { query }, fakeContext({ input: input() }));

const REFUSED =
  /^sql: Refused: the sql step runs a single read-only SELECT \(WITH \.\.\. SELECT, FROM \.\.\., VALUES, TABLE, DESCRIBE, SUMMARIZE, SHOW, PIVOT and UNPIVOT are SELECTs too\), nothing that writes, loads, attaches or configures; the query is /;

describe('statements other than one SELECT are refused, with a message that says what the step runs', () => {
  it.each([
    ['a COPY', () => `COPY (SELECT * FROM input) TO '${join(root, 'copied.csv')}'`],
    ['a COPY', () => `COPY input TO '${join(root, 'copied.parquet')}' (FORMAT parquet)`],
    ['an EXPORT', () => `EXPORT DATABASE '${join(root, 'exported')}'`],
    ['an IMPORT', () => `IMPORT DATABASE '${outside}'`],
    ['an ATTACH', () => `ATTACH '${join(root, 'attached.duckdb')}' AS other`],
    ['an INSTALL', () => 'INSTALL httpfs'],
    ['a LOAD', () => 'LOAD httpfs'],
    ['a LOAD', () => `LOAD '${join(root, 'evil.duckdb_extension')}'`],
    ['a SET', () => 'SET enable_external_access = true'],
    ['a SET', () => "SET allowed_directories = ['/']"],
    ['a RESET', () => 'RESET lock_configuration'],
    ['a PRAGMA', () => 'PRAGMA threads = 1'],
    ['a PRAGMA', () => 'PRAGMA enable_profiling'],
    ['a CREATE', () => 'CREATE TABLE t AS SELECT 1'],
    ['a CREATE', () => 'CREATE MACRO data_file(p) AS p'],
    ['an INSERT', () => 'INSERT INTO input VALUES (1, 2)'],
    ['an INSERT', () => 'WITH t AS (SELECT 1) INSERT INTO input SELECT * FROM input'],
    ['an UPDATE', () => 'UPDATE input SET value = 0'],
    ['a DELETE', () => 'DELETE FROM input'],
    ['a DELETE', () => "/* SELECT */ WITH t AS (SELECT ';') DELETE FROM input"],
    ['a DROP', () => 'DROP TABLE input'],
    ['a CALL', () => 'CALL pragma_version()'],
    ['an EXPLAIN', () => 'EXPLAIN SELECT 1'],
    ['a BEGIN', () => 'BEGIN TRANSACTION'],
    ['a DETACH', () => 'DETACH memory'],
  ])('%s statement: %s', async (kind, query) => {
    const before = readdirSync(root).sort();
    const error = await runUnparsed(query()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SQL_FAILED', details: { refused: `${kind} statement` } });
    expect((error as Error).message).toMatch(REFUSED);
    expect((error as Error).message.endsWith(`the query is ${kind} statement.`)).toBe(true);
    expect(readdirSync(root).sort()).toEqual(before); // nothing written
    // and the params schema refuses it with the same words: the run never gets there
    expect(sql.params.safeParse({ query: query() }).error?.issues[0]?.message).toMatch(
      new RegExp(`; the query is ${kind} statement$`),
    );
  });

  it('several statements, even when the first is a SELECT', async () => {
    const copy = `COPY input TO '${join(root, 'second.csv')}'`;
    await expect(runUnparsed(`SELECT 1; ${copy}`)).rejects.toThrow(
      /single read-only SELECT .* the query is 2 statements\./,
    );
    expect(existsSync(join(root, 'second.csv'))).toBe(false);
  });

  it('a COPY to a file outside the data root is refused the same way, before DuckDB binds it', async () => {
    await expect(runUnparsed(`COPY input TO '${join(outside, 'x.csv')}'`)).rejects.toThrow(
      /the query is a COPY statement/,
    );
    expect(existsSync(join(outside, 'x.csv'))).toBe(false);
  });

  it('then DuckDB decides what the text cannot show: a PIVOT without an IN list is two statements to it', async () => {
    await expect(runUnparsed('PIVOT input ON region USING sum(value)')).rejects.toThrow(/the query is 2 statements\.$/);
  });

  it('the settings stay locked: a SELECT cannot change them either', async () => {
    await expect(run("SELECT set_config('enable_external_access', true)")).rejects.toMatchObject({
      code: 'SQL_FAILED',
    });
  });
});

describe('validation refuses what the run refuses, with the same check', () => {
  const registry = new StepRegistry();
  registry.registerDataType(DataFrameType);
  registry.register(sql);
  const documentWith = (query: string) => ({
    format: 'stepwise.workflow',
    version: 1,
    id: 'q',
    inputs: { sales: { type: 'DataFrame' } },
    steps: [{ id: 'totals', type: 'sql', config: { query }, inputs: { input: { input: 'sales' } } }],
  });

  it('names the field, what it expected and what the query is', () => {
    const issues = validateDocument(documentWith(`COPY input TO '${join(root, 'x.csv')}'`), registry);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'CONFIG_INVALID',
      path: ['steps', 0, 'config', 'query'],
      pathText: 'steps[0].config.query',
      expected: expect.stringMatching(/^a single read-only SELECT/),
      actual: 'a COPY statement',
    });
    expect(issues[0]?.message).toContain('expected a single read-only SELECT');
  });

  it.each([
    'SELECT sum(value) AS s FROM input',
    'select 1;',
    '-- totals\nFROM input WHERE value > 1',
    '(SELECT 1)',
    'VALUES (1)',
    'TABLE input',
    'SHOW input',
    "PIVOT input ON region IN ('north') USING sum(value)",
    'WITH t AS MATERIALIZED (SELECT 1), u(a) AS (SELECT 2) SELECT * FROM t, u',
    'WITH t AS (SELECT 1) (SELECT * FROM t)',
    "SELECT ';' AS a, $x$;$x$ AS b, E'\\';' AS c, 1 AS \"d;\" /* ; /* ; */ */",
    'SUMMARIZE input',
  ])('accepts what runs: %s', async (query) => {
    expect(validateDocument(documentWith(query), registry)).toEqual([]);
    await expect(run(query)).resolves.toBeDefined();
  });

  it.each(['SELECT 1; SELECT 2', 'WITH t AS (SELECT 1) DESCRIBE t', 'PRAGMA version', '/* only a comment */'])(
    'refuses what the run refuses: %s',
    async (query) => {
      expect(validateDocument(documentWith(query), registry).map((issue) => issue.pathText)).toEqual([
        'steps[0].config.query',
      ]);
      await expect(runUnparsed(query)).rejects.toMatchObject({ code: 'SQL_FAILED' });
    },
  );
});

describe('SELECTs read the inputs and files under the data root only', () => {
  it('SELECT, WITH, FROM, DESCRIBE, SUMMARIZE and data_file() work', async () => {
    expect((await run('SELECT sum(value) AS s FROM input')).objects()).toEqual([{ s: 3 }]);
    expect((await run('WITH t AS (SELECT * FROM input) SELECT count(*) AS n FROM t')).objects()).toEqual([{ n: 2 }]);
    expect((await run('FROM input WHERE value > 1')).objects()).toEqual([{ region: 'south', value: 2 }]);
    expect((await run('DESCRIBE input')).numRows()).toBe(2);
    expect((await run('SUMMARIZE input')).numRows()).toBe(2);
    expect((await run("SELECT * FROM read_csv(data_file('in.csv'))")).objects()).toEqual([{ a: 1, b: 2 }]);
    expect((await run(`SELECT * FROM read_csv('${join(root, 'in.csv')}')`)).objects()).toEqual([{ a: 1, b: 2 }]);
  });

  it.each([
    ['an absolute path elsewhere', () => `SELECT * FROM read_csv('${join(outside, 'secret.csv')}')`],
    ['a .. out of the root', () => "SELECT * FROM read_csv(data_file('../secret.csv'))"],
    ['a symlink in the root to a file outside', () => "SELECT * FROM read_csv(data_file('link.csv'))"],
    ['a symlinked folder in the root', () => "SELECT * FROM read_text(data_file('outside-dir/secret.csv'))"],
    ['a glob through a symlinked folder', () => "SELECT * FROM read_text(data_file('outside-dir/*'))"],
    ['a URL', () => "SELECT * FROM read_csv('https://example.com/x.csv')"],
  ])('%s is refused', async (_what, query) => {
    await expect(run(query())).rejects.toMatchObject({
      code: 'SQL_FAILED',
      message: expect.stringMatching(
        /^sql: DuckDB refused a file outside the data root .*; the sql step runs a single read-only SELECT, reading files under the data root only/,
      ),
    });
  });
});
