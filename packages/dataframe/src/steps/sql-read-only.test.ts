// The sql step runs one read-only SELECT: statements that write, load, attach or configure are
// refused from DuckDB's own statement type before they run, and DuckDB's settings confine what a
// SELECT may read to the data root (symlinks resolved).
import { existsSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { table } from 'arquero';
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from './sql-step.js';
import { runStep, tempDataRoot } from './test-kit.js';

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

describe('statements other than one SELECT are refused, with a message that says what the step runs', () => {
  it.each([
    ['COPY', () => `COPY (SELECT * FROM input) TO '${join(root, 'copied.csv')}'`],
    ['COPY', () => `COPY input TO '${join(root, 'copied.parquet')}' (FORMAT parquet)`],
    ['EXPORT', () => `EXPORT DATABASE '${join(root, 'exported')}'`],
    ['ATTACH', () => `ATTACH '${join(root, 'attached.duckdb')}' AS other`],
    ['LOAD', () => 'INSTALL httpfs'],
    ['LOAD', () => 'LOAD httpfs'],
    ['LOAD', () => `LOAD '${join(root, 'evil.duckdb_extension')}'`],
    ['SET', () => 'SET enable_external_access = true'],
    ['SET', () => "SET allowed_directories = ['/']"],
    ['SET', () => 'RESET lock_configuration'],
    ['SET', () => 'PRAGMA threads = 1'],
    ['PRAGMA', () => 'PRAGMA enable_profiling'],
    ['CREATE', () => 'CREATE TABLE t AS SELECT 1'],
    ['CREATE', () => 'CREATE MACRO data_file(p) AS p'],
    ['INSERT', () => 'INSERT INTO input VALUES (1, 2)'],
    ['UPDATE', () => 'UPDATE input SET value = 0'],
    ['DELETE', () => 'DELETE FROM input'],
    ['DROP', () => 'DROP TABLE input'],
    ['CALL', () => 'CALL pragma_version()'],
    ['EXPLAIN', () => 'EXPLAIN SELECT 1'],
    ['TRANSACTION', () => 'BEGIN TRANSACTION'],
    ['DETACH', () => 'DETACH memory'],
  ])('%s: %s', async (_kind, query) => {
    const before = readdirSync(root).sort();
    await expect(run(query())).rejects.toMatchObject({
      code: 'SQL_FAILED',
      message:
        'sql: Refused: the sql step runs a single read-only SELECT (WITH ... SELECT, FROM ..., DESCRIBE and SUMMARIZE are SELECTs too), and nothing that writes, loads, attaches or configures; the query is not a SELECT statement.',
    });
    expect(readdirSync(root).sort()).toEqual(before); // nothing written
  });

  it('several statements, even when the first is a SELECT', async () => {
    const copy = `COPY input TO '${join(root, 'second.csv')}'`;
    await expect(run(`SELECT 1; ${copy}`)).rejects.toThrow(/single read-only SELECT .* the query is 2 statements\./);
    expect(existsSync(join(root, 'second.csv'))).toBe(false);
  });

  it('a COPY to a file outside the data root is refused the same way, before DuckDB binds it', async () => {
    await expect(run(`COPY input TO '${join(outside, 'x.csv')}'`)).rejects.toThrow(/the query is not a SELECT/);
    expect(existsSync(join(outside, 'x.csv'))).toBe(false);
  });

  it('the settings stay locked: a SELECT cannot change them either', async () => {
    await expect(run("SELECT set_config('enable_external_access', true)")).rejects.toMatchObject({
      code: 'SQL_FAILED',
    });
  });
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
