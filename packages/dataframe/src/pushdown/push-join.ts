// `join` pushed down: both inputs lazy, the joined columns worked out by the rules of joinTables
// (Arquero's join, then left columns first for outer joins), keys whose equality SQL decides as
// Arquero's hash keys do. The rows' order is rendered by render-join.ts.
import type { ColumnTable } from 'arquero';
import { requireColumns } from '../expressions/expression.js';
import type { LazyFrame } from './lazy-frame.js';
import type { LazyColumn, LazyJoin, SqlType } from './lazy-plan.js';
import { keysFit, namesFit, type PushedStep } from './push-steps.js';

/** What `join` is asked: as the step's params. */
export interface JoinRequest {
  on: string[];
  rightOn?: string[] | undefined;
  how: LazyJoin['how'];
  suffixes: [string, string];
}

type Take = LazyJoin['take'][number];

/** Arquero's join columns: each side's values (key columns named alike kept once), then suffixes on clashes. */
function joinTakes(left: readonly string[], right: readonly string[], request: JoinRequest, rightOn: string[]): Take[] {
  const { on, how } = request;
  const shared = new Set(on.filter((key, i) => key === rightOn[i]));
  const fromLeft: Take[] =
    how === 'full'
      ? left.map((column) =>
          shared.has(column)
            ? { side: 'key', column, right: rightOn[on.indexOf(column)] as string }
            : { side: 'left', column },
        )
      : left.filter((column) => how !== 'right' || !shared.has(column)).map((column) => ({ side: 'left', column }));
  const fromRight: Take[] = right
    .filter((column) => how === 'right' || !shared.has(column))
    .map((column) => ({ side: 'right', column }));
  return [...fromLeft, ...fromRight];
}

/**
 * The output names of `takes`, as joinTables gives them: clashing names suffixed (an empty suffix
 * leaves the name), then for outer joins the names of the left table or ending with the left suffix
 * first.
 */
function joinNames(takes: readonly Take[], suffixes: readonly [string, string]): string[] {
  const leftNames = new Set(takes.filter((t) => t.side !== 'right').map((t) => t.column));
  const rightNames = new Set(takes.filter((t) => t.side === 'right').map((t) => t.column));
  return takes.map((take) => {
    if (!leftNames.has(take.column) || !rightNames.has(take.column)) return take.column;
    const suffix = take.side === 'right' ? suffixes[1] : suffixes[0];
    return suffix === '' ? take.column : take.column + suffix;
  });
}

/** The order joinTables puts outer joins' columns in: the left table's names (or left-suffixed) first. */
function outerOrder(names: readonly string[], left: readonly string[], suffix: string): number[] {
  const first = names.flatMap((name, i) => (left.includes(name) || name.endsWith(suffix) ? [i] : []));
  return [...first, ...names.flatMap((_, i) => (first.includes(i) ? [] : [i]))];
}

/**
 * `join` of two lazy tables, or undefined when SQL could join otherwise than Arquero: keys of
 * different types, date keys, several text keys (see keysFit), names DuckDB cannot hold apart.
 */
export function pushJoin(
  left: LazyFrame,
  right: LazyFrame,
  request: JoinRequest,
  step: PushedStep,
): LazyFrame | undefined {
  const rightOn = request.rightOn ?? request.on;
  if (rightOn.length !== request.on.length) return undefined;
  requireColumns(left as unknown as ColumnTable, 'join (left table)', request.on);
  requireColumns(right as unknown as ColumnTable, 'join (right table "right")', rightOn);
  const leftTypes = left.types();
  const rightTypes = right.types();
  const keyTypes = request.on.map((key, i) => {
    const type = leftTypes.get(key);
    return type === rightTypes.get(rightOn[i] as string) ? type : undefined;
  });
  if (!keysFit(keyTypes)) return undefined;
  const takes = joinTakes(left.columnNames(), right.columnNames(), request, rightOn);
  const names = joinNames(takes, request.suffixes);
  const order =
    request.how === 'inner' ? names.map((_, i) => i) : outerOrder(names, left.columnNames(), request.suffixes[0]);
  const typeOf = (take: Take): SqlType =>
    (take.side === 'right' ? rightTypes.get(take.column) : leftTypes.get(take.column)) as SqlType;
  const out: LazyColumn[] = order.map((i) => ({ name: names[i] as string, type: typeOf(takes[i] as Take) }));
  if (new Set(names).size !== names.length || !namesFit(out)) return undefined;
  const join: LazyJoin = {
    how: request.how,
    on: [...request.on],
    rightOn: [...rightOn],
    take: order.map((i) => takes[i] as Take),
  };
  return left.with({ step: step.id, type: step.type, out, op: 'join', right: right.plan, ...join });
}
