// Which steps of a workflow are expected to run pushed down to DuckDB, from the document alone: what
// `stepwise run --dry-run` and the live view mark. At run time a step may still run in JavaScript
// (an expression whose meaning in SQL could differ for its columns' types, a CSV file DuckDB cannot
// read as the JavaScript reader does); the results are the same either way.
import { parseExpression } from '../expressions/expression.js';
import { toSql } from '../expressions/to-sql.js';
import { pushdownConfig } from './pushdown-config.js';

/** The step types that start a pushed-down segment: readers that answer a lazy table. */
export const PUSHDOWN_SOURCES: ReadonlySet<string> = new Set(['read_csv', 'read_parquet']);

/** The step types that extend a lazy table (or, for a writer, run it as one query). */
export const PUSHDOWN_STEPS: ReadonlySet<string> = new Set([
  'filter_rows',
  'derive',
  'select',
  'drop_columns',
  'rename',
  'head',
  'clean_nulls',
  'aggregate',
  'sort',
  'cast',
  'dedupe',
  'join',
  'write_parquet',
]);

/** What {@link pushdownSegments} reads of a step. */
export interface SegmentStep {
  id: string;
  type: string;
  config?: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  strategy?: { cache?: boolean; workers?: number };
}

/** The expressions of a step's config render as SQL (the op functions it calls have a SQL form). */
function renders(step: SegmentStep): boolean {
  const config = step.config ?? {};
  const texts =
    step.type === 'filter_rows'
      ? [config.where]
      : step.type === 'derive'
        ? Object.values((config.columns as Record<string, unknown>) ?? {})
        : [];
  try {
    for (const text of texts) if (typeof text === 'string') toSql(parseExpression(text));
    return true;
  } catch {
    return false;
  }
}

/** The step whose output is this step's primary input: named in `inputs.input`, else the one before. */
function primarySource(step: SegmentStep, before: SegmentStep | undefined): string | undefined {
  const input = step.inputs?.input as { step?: unknown } | undefined;
  if (input !== undefined) return typeof input.step === 'string' ? input.step : undefined;
  return before?.id;
}

/** The steps of `segment` up to `id`: the chain whose last output is `id`'s. */
const upTo = (segment: string[], id: string) => segment.slice(0, segment.indexOf(id) + 1);

/**
 * The pushed-down steps a join's right input comes from (its chain, from its reader), or undefined
 * when the right input is not the output of a pushed-down step (a workflow input, a user's step).
 */
function rightChain(step: SegmentStep, open: ReadonlyMap<string, string[]>): string[] | undefined {
  if (step.type !== 'join') return [];
  const right = step.inputs?.right as { step?: unknown } | undefined;
  const id = typeof right?.step === 'string' ? right.step : undefined;
  const segment = id === undefined ? undefined : open.get(id);
  return segment === undefined ? undefined : upTo(segment, id as string);
}

/**
 * The workflow's pushed-down segments, each the ids of its steps in order (a reader first): a reader
 * without `cache`, then each following step that is a built-in table step reading the segment's last
 * output, with no `cache` or `workers` and expressions that render as SQL. A join whose right input
 * is pushed down too takes that chain into its segment. Empty when pushdown is off.
 */
export function pushdownSegments(steps: readonly SegmentStep[]): string[][] {
  if (!pushdownConfig().enabled) return [];
  const segments: string[][] = [];
  const open = new Map<string, string[]>();
  steps.forEach((step, i) => {
    const plain = step.strategy?.cache !== true && (step.strategy?.workers ?? 1) <= 1;
    if (PUSHDOWN_SOURCES.has(step.type) && step.strategy?.cache !== true) {
      const segment = [step.id];
      segments.push(segment);
      open.set(step.id, segment);
      return;
    }
    const from = primarySource(step, steps[i - 1]);
    const segment = from === undefined ? undefined : open.get(from);
    if (segment === undefined || !plain || !PUSHDOWN_STEPS.has(step.type) || !renders(step)) return;
    const right = rightChain(step, open);
    if (right === undefined) return;
    // a second reader of the same lazy table extends its own copy of the chain
    const chain = segment.at(-1) === from ? segment : upTo(segment, from as string);
    if (chain !== segment) segments.push(chain);
    chain.push(...right.filter((id) => !chain.includes(id)), step.id);
    open.set(step.id, chain);
  });
  return segments.filter((segment) => segment.length > 1);
}
