import { type InferIssue, type InferResult, StepwiseError, stepType } from '@stepwise/core/define';
import type { ColumnTable } from 'arquero';
import { z } from 'zod';
import { DataFrameType } from '../data-type/dataframe-type.js';
import { requireColumns } from '../expressions/expression.js';
import { withNulls } from './aggregate-step.js';
import { pushJoinOr } from './lazy-push.js';
import { checkNames, type InputShapes, inputColumns } from './shape-checks.js';

/** How `join` matches rows. */
export type JoinHow = 'inner' | 'left' | 'right' | 'full';

/** Options of {@link joinTables}. */
export interface JoinOptions {
  on: string[];
  rightOn?: string[] | undefined;
  how: JoinHow;
  suffixes: [string, string];
}

/** Joins two tables on key columns (null keys never match, as in SQL). */
export function joinTables(left: ColumnTable, right: ColumnTable, options: JoinOptions): ColumnTable {
  const { on, how, suffixes } = options;
  const rightOn = options.rightOn ?? on;
  if (rightOn.length !== on.length) {
    throw new StepwiseError('CONFIG_INVALID', `join: "on" has ${on.length} keys but "rightOn" has ${rightOn.length}.`);
  }
  requireColumns(left, 'join (left table)', on);
  requireColumns(right, 'join (right table "right")', rightOn);
  const keys: [string[], string[]] = [on, rightOn];
  const opts = { suffix: suffixes };
  const joined =
    how === 'inner'
      ? left.join(right, keys, undefined, opts)
      : how === 'left'
        ? left.join_left(right, keys, undefined, opts)
        : how === 'right'
          ? left.join_right(right, keys, undefined, opts)
          : left.join_full(right, keys, undefined, opts);
  if (how === 'inner') return joined;
  // Outer joins leave undefined where a side had no match; the right join also reorders columns.
  const names = joined.columnNames();
  const leftFirst = [...names.filter((n) => left.columnNames().includes(n) || n.endsWith(suffixes[0]))];
  const rest = names.filter((n) => !leftFirst.includes(n));
  return withNulls(joined.select([...leftFirst, ...rest]));
}

/**
 * The columns {@link joinTables} gives, by the same rule: a right key named like its left key is
 * dropped (its values are the left key's), other names on both sides get the suffixes, and outer
 * joins put the left table's columns first.
 */
export function joinedColumns(left: readonly string[], right: readonly string[], options: JoinOptions): string[] {
  const { on, how, suffixes } = options;
  const rightOn = options.rightOn ?? on;
  const shared = new Set(on.filter((key, i) => key === rightOn[i]));
  let fromLeft = how === 'right' ? left.filter((name) => !shared.has(name)) : [...left];
  let fromRight = how === 'right' ? [...right] : right.filter((name) => !shared.has(name));
  const clash = new Set(fromRight.filter((name) => fromLeft.includes(name)));
  const suffixed = (names: string[], suffix: string) =>
    suffix === '' ? names : names.map((name) => (clash.has(name) ? name + suffix : name));
  fromLeft = suffixed(fromLeft, suffixes[0]);
  fromRight = suffixed(fromRight, suffixes[1]);
  const names = [...fromLeft, ...fromRight];
  if (how === 'inner') return names;
  const leftFirst = names.filter((name) => left.includes(name) || name.endsWith(suffixes[0]));
  return [...leftFirst, ...names.filter((name) => !leftFirst.includes(name))];
}

/** What validation knows of `join`: as many right keys as left ones, each key on its side; the joined columns. */
function inferJoin(options: JoinOptions, inputs: InputShapes): InferResult {
  const { on, rightOn } = options;
  if (rightOn !== undefined && rightOn.length !== on.length) {
    const message = `"on" has ${on.length} key${on.length === 1 ? '' : 's'} but "rightOn" has ${rightOn.length}; give one right key per left key.`;
    return { issues: [{ path: ['rightOn'], message }] };
  }
  const left = inputColumns(inputs);
  const right = inputColumns(inputs, 'right');
  const issues: InferIssue[] = [
    ...checkNames(
      left,
      on.map((key) => [key, ['on']] as const),
      'the left table (input)',
    ),
    ...checkNames(
      right,
      (rightOn ?? on).map((key) => [key, [rightOn ? 'rightOn' : 'on']] as const),
      'the right table (right)',
    ),
  ];
  const shape = left && right && issues.length === 0 ? { columns: joinedColumns(left, right, options) } : undefined;
  return { shape, issues };
}

const keyList = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
  .transform((keys) => (typeof keys === 'string' ? [keys] : keys));

/** Joins the input with the named input `right` on one or more key columns. */
export const join = stepType(
  {
    slug: 'join',
    name: 'Join',
    description:
      'Join the input (left) with the named input "right" on key columns: inner, left, right or full. Other columns with the same name on both sides get the suffixes. Null keys never match.',
    params: z.object({
      on: keyList.describe('The key column(s), e.g. "customer_id" or ["region", "date"].'),
      rightOn: keyList
        .optional()
        .describe('The key columns of the right table when they are named differently (same order as "on").'),
      how: z.enum(['inner', 'left', 'right', 'full']).default('inner').describe('Which unmatched rows to keep.'),
      suffixes: z
        .tuple([z.string(), z.string()])
        .default(['_left', '_right'])
        .describe('Appended to non-key column names present on both sides.'),
    }),
    inputType: 'DataFrame',
    inputs: { right: 'DataFrame' },
    outputType: 'DataFrame',
    metadata: { category: 'combine' },
    infer: inferJoin,
    lazyInput: true,
  },
  async (df, params, ctx) => {
    const right = ctx.inputs.right;
    if (!DataFrameType.is(right)) {
      throw new StepwiseError(
        'INPUT_MISSING',
        'join: the named input "right" (a DataFrame) is missing; wire it in the step\'s inputs.',
      );
    }
    // the DataFrame data type holds lazy tables too: two lazy inputs are joined in their query
    return pushJoinOr(
      [df, right as ColumnTable],
      ctx,
      async (left, other) => {
        // the planner loads only when a join is pushed down (the entry loads no pushdown planner)
        const { pushJoin } = await import('../pushdown/push-join.js');
        return pushJoin(left, other, params, { id: ctx.stepId, type: 'join' });
      },
      (a, b) => joinTables(a, b, params),
    );
  },
);
