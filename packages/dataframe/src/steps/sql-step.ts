import { StepwiseError, stepType } from '@stepwise/core/define';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { checkColumnNames } from '../data-type/column-names.js';
import { DataFrameType } from '../data-type/dataframe-type.js';
import type { prepareSelect } from '../duckdb/duckdb-tables.js';
import { filesConfig } from '../files/data-root.js';

/** Error code of a SQL query DuckDB rejects. */
export const SQL_FAILED = 'SQL_FAILED';

/** Runs a DuckDB query over the step's input tables (by input name) and files under the data root. */
export const sql = stepType(
  {
    slug: 'sql',
    name: 'SQL (DuckDB)',
    description:
      'Run one read-only DuckDB SELECT. The primary input is the table "input"; every other named DataFrame input is a table of its name. Files under the data root are read through data_file(), e.g. read_parquet(data_file(\'data/x.parquet\')), or by absolute path; paths outside the root are refused. Statements that write, load, attach or configure (COPY, EXPORT, ATTACH, INSTALL, LOAD, SET, PRAGMA, CREATE, INSERT, ...) are refused.',
    params: z.object({
      query: z
        .string()
        .min(1)
        .superRefine((query, ctx) => {
          // the same check the step makes before DuckDB sees the query: validation refuses what the run would
          const refused = sqlRefusal(query);
          if (refused !== undefined)
            ctx.addIssue({
              code: 'custom',
              message: `expected ${READ_ONLY_EXPECTED}; the query is ${refused}`,
              params: { expected: READ_ONLY_EXPECTED, actual: refused },
            });
        })
        .describe('One DuckDB SELECT, e.g. SELECT region, sum(quantity) FROM input GROUP BY region.'),
    }),
    inputType: 'DataFrame',
    outputType: 'DataFrame',
    metadata: { category: 'sql' },
    // a query may read files (data_file()) and call random() or now(): its key cannot cover them
    cacheable: false,
  },
  async (df, params, ctx) => {
    const refused = sqlRefusal(params.query);
    if (refused !== undefined) throw refusedError(refused);
    // DuckDB's helpers load when the step first runs, not with the package
    const { loadTable, openDuckDB, prepareSelect } = await import('../duckdb/duckdb-tables.js');
    const db = await openDuckDB(ctx.signal);
    try {
      const tables: Record<string, unknown> = { ...(ctx.inputs ?? {}), input: df };
      for (const [name, value] of Object.entries(tables)) {
        if (DataFrameType.is(value)) await loadTable(db.connection, name, value);
      }
      // an abort while the tables loaded found no query to interrupt: start none
      if (ctx.signal?.aborted) {
        throw new StepwiseError(SQL_FAILED, 'sql: Interrupted before the query started (the step was cancelled).', {
          cause: ctx.signal.reason,
        });
      }
      const result = await runSelect(prepareSelect, db.connection, params.query);
      checkColumnNames(result.columnNames(), 'sql: the result of config field "query"');
      return result;
    } finally {
      db.close();
    }
  },
);

const READ_ONLY = 'the sql step runs a single read-only SELECT';
const READ_ONLY_EXPECTED =
  'a single read-only SELECT (WITH ... SELECT, FROM ..., VALUES, TABLE, DESCRIBE, SUMMARIZE, SHOW, PIVOT and UNPIVOT are SELECTs too), nothing that writes, loads, attaches or configures';

/** Words a query may start with: DuckDB reads each as a SELECT (PIVOT only with an IN list; the run checks that). */
const SELECT_WORDS: ReadonlySet<string> = new Set([
  'SELECT',
  'FROM',
  'VALUES',
  'TABLE',
  'DESCRIBE',
  'DESC',
  'SUMMARIZE',
  'SHOW',
  'PIVOT',
  'UNPIVOT',
]);
/** Words the statement after a WITH's common table expressions may start with. */
const WITH_BODY_WORDS: ReadonlySet<string> = new Set(['SELECT', 'FROM', 'VALUES', 'TABLE']);

/**
 * Why `query` is not one read-only SELECT, as its text shows (`2 statements`, `a COPY statement`,
 * `an INSERT statement`), or undefined. Pure and synchronous: the params schema asks it (so
 * `stepwise validate` and the editor refuse the query) and the step asks it again before DuckDB sees
 * the query (some statements act while DuckDB only parses them: IMPORT DATABASE reads files). At run
 * time DuckDB's parser and statement type then decide what the text cannot show.
 */
export function sqlRefusal(query: string): string | undefined {
  const statements: string[][] = [[]];
  for (const token of sqlTokens(query)) {
    if (token === ';') statements.push([]);
    else (statements[statements.length - 1] as string[]).push(token);
  }
  const nonEmpty = statements.filter((tokens) => tokens.length > 0);
  if (nonEmpty.length !== 1) return nonEmpty.length === 0 ? 'empty' : `${nonEmpty.length} statements`;
  const tokens = nonEmpty[0] as string[];
  let at = 0;
  while (tokens[at] === '(') at++;
  const first = tokens[at]?.toUpperCase() ?? '';
  if (first === 'WITH') return withBodyRefusal(tokens, at + 1);
  return SELECT_WORDS.has(first) ? undefined : statementKind(first);
}

/** Words between a common table expression's name and its query. */
const CTE_WORDS: ReadonlySet<string> = new Set(['AS', 'NOT', 'MATERIALIZED', 'USING', 'KEY']);

/** The refusal of a WITH statement, from the first word after its common table expressions. */
function withBodyRefusal(tokens: readonly string[], from: number): string | undefined {
  let depth = 0;
  let afterGroup = false;
  for (let at = from; at < tokens.length; at++) {
    const token = tokens[at] as string;
    if (token === '(') {
      if (depth === 0 && afterGroup) return undefined; // WITH t AS (...) (SELECT ...)
      depth++;
    } else if (token === ')') {
      depth--;
      if (depth === 0) afterGroup = true;
    } else if (depth === 0 && CTE_WORDS.has(token.toUpperCase())) {
      afterGroup = false; // t(a) AS (...), t USING KEY (k) AS (...)
    } else if (depth === 0 && afterGroup && token !== ',') {
      const word = token.toUpperCase();
      return WITH_BODY_WORDS.has(word) ? undefined : statementKind(word);
    } else if (depth === 0 && token === ',') afterGroup = false;
  }
  return 'not a SELECT statement';
}

function statementKind(word: string): string {
  if (!/^[A-Z_]+$/.test(word)) return 'not a SELECT statement';
  return `${/^[AEIOU]/.test(word) ? 'an' : 'a'} ${word} statement`;
}

/**
 * The tokens of `query` that decide its statements: words, `(`, `)`, `,` and `;`. Comments (`--`,
 * nested `/* *\/`), strings (`'...'`, `E'...'`, `$tag$...$tag$`) and quoted names (`"..."`) are
 * skipped whole, so a `;` in them does not end a statement; other characters are left out.
 */
function* sqlTokens(query: string): Generator<string> {
  let at = 0;
  while (at < query.length) {
    const char = query[at] as string;
    const next = query[at + 1];
    if (char === '-' && next === '-') {
      const end = query.indexOf('\n', at);
      at = end < 0 ? query.length : end + 1;
    } else if (char === '/' && next === '*') {
      at = blockCommentEnd(query, at);
    } else if (char === "'" || char === '"') {
      at = quotedEnd(query, at + 1, char, false);
    } else if ((char === 'E' || char === 'e') && next === "'") {
      at = quotedEnd(query, at + 2, "'", true);
    } else if (char === '$' && /^\$[A-Za-z_]*\$/.test(query.slice(at, at + 66))) {
      const tag = (/^\$[A-Za-z_]*\$/.exec(query.slice(at, at + 66)) as RegExpExecArray)[0];
      const end = query.indexOf(tag, at + tag.length);
      at = end < 0 ? query.length : end + tag.length;
    } else if (/[A-Za-z_]/.test(char)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(query.slice(at, at + 256)) as RegExpExecArray;
      yield word[0];
      at += word[0].length;
    } else {
      if (char === '(' || char === ')' || char === ',' || char === ';') yield char;
      at++;
    }
  }
}

/** The index after a `/* ... *\/` comment starting at `start` (DuckDB nests them); the end of the text when it is open. */
function blockCommentEnd(query: string, start: number): number {
  let depth = 0;
  let at = start;
  while (at < query.length) {
    if (query.startsWith('/*', at)) {
      depth++;
      at += 2;
    } else if (query.startsWith('*/', at)) {
      depth--;
      at += 2;
      if (depth === 0) return at;
    } else at++;
  }
  return at;
}

/** The index after a quoted string or name whose content starts at `start` (a doubled quote is one; `\` escapes in E'...'). */
function quotedEnd(query: string, start: number, quote: string, backslash: boolean): number {
  let at = start;
  while (at < query.length) {
    const char = query[at];
    if (backslash && char === '\\') at += 2;
    else if (char === quote && query[at + 1] === quote) at += 2;
    else if (char === quote) return at + 1;
    else at++;
  }
  return at;
}

function refusedError(refused: string): StepwiseError {
  return new StepwiseError(
    SQL_FAILED,
    `sql: Refused: the sql step runs ${READ_ONLY_EXPECTED}; the query is ${refused}.`,
    { details: { refused } },
  );
}

/**
 * Runs `query` when DuckDB sees exactly one SELECT; anything else (COPY, EXPORT, ATTACH, INSTALL,
 * LOAD, SET, PRAGMA, CREATE, INSERT, several statements) is refused before it is bound or run.
 * @throws StepwiseError `SQL_FAILED`
 */
async function runSelect(
  prepareSelect: typeof import('../duckdb/duckdb-tables.js').prepareSelect,
  connection: Parameters<typeof prepareSelect>[0],
  query: string,
): Promise<ColumnTable> {
  const prepared = await prepareSelect(connection, query).catch((error: unknown) => {
    throw rejected(error);
  });
  if ('refused' in prepared) throw refusedError(prepared.refused);
  try {
    return await prepared.run().catch((error: unknown) => {
      throw rejected(error);
    });
  } finally {
    prepared.close();
  }
}

/** DuckDB's error as the step's: a file access it refused says where files may be. */
function rejected(error: unknown): StepwiseError {
  const message = error instanceof Error ? error.message : String(error);
  if (/^Permission Error/.test(message)) {
    const { dataRoot } = filesConfig();
    return new StepwiseError(
      SQL_FAILED,
      `sql: DuckDB refused a file outside the data root "${dataRoot}" (${message.split('\n')[0]}); ${READ_ONLY}, reading files under the data root only, e.g. read_csv(data_file('path/under/root.csv')).`,
      { cause: error },
    );
  }
  return new StepwiseError(SQL_FAILED, `sql: DuckDB rejected the query: ${message}`, { cause: error });
}
