// A CSV file is read lazily on the kinds guessed from its first block (lazy-sources.ts), and its
// query guards each value (one scan of the file, not a check pass and then the query). When a value
// past that block does not fit, the plan typed on the guess is wrong from the read on: this module
// makes it again, in this process, by running each pushed-down step again (lazy-push.ts remembers
// how) over a read that checks every value; for a plan made elsewhere (a stored lazy value), it
// checks that the guesses hold.

import { StepwiseError } from '@stepwise/core';
import type { ColumnTable } from 'arquero';
import type { CsvColumnType } from '../csv/csv-columns.js';
import type { LazyPlan, LazySource, SqlType } from './lazy-plan.js';

/** A plan made again: still a plan (the steps pushed down again), or a table (a step ran in JavaScript). */
export type Replayed = { plan: LazyPlan } | { table: ColumnTable };

/** Makes a plan again from a read that checks every value. */
export type Replay = (signal: AbortSignal | undefined) => Promise<Replayed>;

/** Error code of a lazy value planned on guessed kinds that do not hold, made where it cannot be planned again. */
export const KINDS_GUESSED_WRONG = 'KINDS_GUESSED_WRONG';

/** Replays kept (a bound: a long-lived server runs many workflows); a plan whose replay is gone is checked instead. */
const MAX_REPLAYS = 256;
const replays = new Map<string, Replay>();
/** Files (by fingerprint) whose guesses did not hold: read with the check pass from now on. */
const wrongGuesses = new Set<string>();

const keyOf = (plan: LazyPlan) => JSON.stringify(plan);
const fileKey = ({ path, size, mtimeMs }: LazySource['file']) => `${size}:${mtimeMs}:${path}`;

/** Forgets the oldest entry past the bound. */
function bound(entries: Map<string, unknown> | Set<string>): void {
  if (entries.size > MAX_REPLAYS) entries.delete(entries.keys().next().value as string);
}

/** Remembers how `plan` is made again (the newest `MAX_REPLAYS` plans are kept). */
export function rememberReplay(plan: LazyPlan, replay: Replay): void {
  const key = keyOf(plan);
  replays.delete(key);
  replays.set(key, replay);
  bound(replays);
}

/** Forgets every replay and wrong guess, as another process knows none of them (for tests). */
export function forgetReplays(): void {
  replays.clear();
  wrongGuesses.clear();
}

/** True when the plan reads a CSV file on guessed kinds (its source, or a joined plan's). */
export function readsGuesses(plan: LazyPlan): boolean {
  if (plan.source.kind === 'csv' && plan.source.guessed === true) return true;
  return plan.ops.some((op) => op.op === 'join' && readsGuesses(op.right));
}

/** True when a read of this file found guesses that did not hold: it is checked before it is planned on. */
export function guessedWrongBefore(file: LazySource['file']): boolean {
  return wrongGuesses.has(fileKey(file));
}

/** Notes that the guesses made from this file's first block did not hold. */
export function noteWrongGuess(file: LazySource['file']): void {
  const key = fileKey(file);
  wrongGuesses.delete(key);
  wrongGuesses.add(key);
  bound(wrongGuesses);
}

/**
 * The plan made again as the step-by-step run makes it: by the steps' remembered replays, else (a plan
 * decoded from a store, or with a step that remembers none) with its guessed sources checked.
 * @throws StepwiseError `KINDS_GUESSED_WRONG` when a guess does not hold and the plan cannot be made again here;
 *   `CSV_INVALID` when the file has a row the reader refuses
 */
export async function replayPlan(plan: LazyPlan, signal: AbortSignal | undefined): Promise<Replayed> {
  const replay = replays.get(keyOf(plan));
  if (replay !== undefined) return replay(signal);
  return { plan: await checkGuesses(plan, signal) };
}

const KINDS: Record<SqlType, CsvColumnType> = {
  DOUBLE: 'number',
  VARCHAR: 'string',
  BOOLEAN: 'boolean',
  TIMESTAMP: 'date',
};

/** The plan with each guessed source checked against every value; throws when a guess does not hold. */
async function checkGuesses(plan: LazyPlan, signal: AbortSignal | undefined): Promise<LazyPlan> {
  const ops = await Promise.all(
    plan.ops.map(async (op) => (op.op === 'join' ? { ...op, right: await checkGuesses(op.right, signal) } : op)),
  );
  const { source } = plan;
  if (source.kind !== 'csv' || source.guessed !== true) return { source, ops };
  const [{ openDuckDB }, { planCsvRelation }] = await Promise.all([
    import('../duckdb/duckdb-tables.js'),
    import('../duckdb/csv-relation.js'),
  ]);
  const options = {
    delimiter: source.delimiter,
    nullValues: source.nullValues,
    types: source.types ?? {},
    displayName: source.display,
    ...(signal === undefined ? {} : { signal }),
  };
  const db = await openDuckDB(signal);
  const checked = await planCsvRelation(db.connection, source.file.path, options).finally(db.close);
  const relation = 'relation' in checked ? checked.relation : undefined;
  const kinds = source.columns.map((column) => KINDS[column.type]);
  if (relation?.columns.every((column, c) => column.kind === kinds[c])) {
    const { guessed: _, doubles: __, types: ___, ...rest } = source;
    const { doubles } = relation;
    return { source: { ...rest, ...(doubles === undefined ? {} : { doubles }) }, ops };
  }
  noteWrongGuess(source.file);
  // a row the reader refuses fails here as the reading step would have failed
  if (relation === undefined) await (await import('../duckdb/read-csv-fast.js')).readCsvFast(source.file.path, options);
  throw new StepwiseError(
    KINDS_GUESSED_WRONG,
    `${source.display} has a value past its first block that does not fit the kind read_csv gave its column from that block; this lazy table was planned on that kind. Run again from the reading step (a run plans its steps again), or give the column's type in read_csv's types.`,
    { details: { path: source.display } },
  );
}
