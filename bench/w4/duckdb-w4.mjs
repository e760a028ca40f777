// The W4 job as a DuckDB user writes it: one query from the CSV to the Parquet file.
// `node bench/w4/duckdb-w4.mjs <csv> <parquet> [w4|1gb|open] [stepwise-buffer]`
// 1gb: no null drop, mean of value, as workflow-1gb.json. open: only opens DuckDB and writes nothing
// (the floor under every DuckDB peer's peak RSS). stepwise-buffer: read_csv with the buffer_size
// Stepwise gives it (CSV_BUFFER_SIZE in packages/dataframe/src/duckdb/duckdb-tables.ts) instead of 32 MiB.
// DuckDB is resolved from @stepwise/dataframe's own dependency, so it is the engine Stepwise runs on.
import { createRequire } from 'node:module';

const [csv, out, shape = 'w4', buffer] = process.argv.slice(2);
const require = createRequire(new URL('../../packages/dataframe/package.json', import.meta.url));
const { DuckDBInstance } = await import(require.resolve('@duckdb/node-api'));
const literal = (text) => `'${text.replace(/'/g, "''")}'`;
const source = `read_csv(${literal(csv)}${buffer === 'stepwise-buffer' ? ', buffer_size = 2000000' : ''})`;
const query =
  shape === '1gb'
    ? `SELECT "group", count(*) AS count, avg(value) AS mean FROM ${source}
       WHERE value > 0.2 GROUP BY "group" ORDER BY "group"`
    : `SELECT "group", count(*) AS count, avg(value2) AS mean
       FROM (SELECT *, value * 2 + 1 AS value2 FROM ${source} WHERE value IS NOT NULL AND value > 0.2)
       GROUP BY "group" ORDER BY "group"`;
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
if (shape !== 'open') await connection.run(`COPY (${query}) TO ${literal(out)} (FORMAT parquet)`);
connection.closeSync();
instance.closeSync();
