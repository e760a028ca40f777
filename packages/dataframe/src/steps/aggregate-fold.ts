import type { ColumnTable } from 'arquero';
import { arquero } from '../arquero/load-arquero.js';
import { concatDataFrames } from '../data-type/dataframe-type.js';
import { requireColumns } from '../expressions/expression.js';
import { meanWithInfinities } from '../kernels/aggregate-kernel.js';
import { keptRows } from '../kernels/bit-words.js';
import { columnValues, numericColumn } from '../kernels/column-values.js';
import { type AggregateSpec, aggregateName, aggregateTable } from './aggregate-step.js';

/**
 * Arquero's key of a value (arquero/src/util/key-function.js, not exported by the package): what its
 * groupby (as `key + ''`) and its distinct count group values by.
 */
function arqueroKey(value: unknown): unknown {
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value !== 'object' || !value) return value;
  if (value instanceof Date) return +value;
  if (Array.isArray(value)) return `[${value.map(arqueroKey)}]`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return `[${(value as unknown as { map(f: (v: unknown) => unknown): unknown }).map(arqueroKey)}]`;
  }
  if (value instanceof RegExp) return `${value}`;
  let text = '{';
  let i = -1;
  for (const k in value) {
    if (++i > 0) text += ',';
    text += `"${k}":${String(arqueroKey((value as Record<string, unknown>)[k]))}`;
  }
  return `${text}}`;
}

/**
 * The key of a value that is neither a string nor a number, placed so that two values share a group
 * exactly when Arquero's `key(v) + ''` strings are equal: a date or a BigInt whose key reads as a
 * number's goes with that number (a number), anything else is its key string (which never reads as a
 * number nor as a quoted string).
 */
function otherKey(value: unknown): number | string {
  if (value instanceof Date) return +value;
  if (typeof value === 'bigint') {
    const near = Number(value);
    return String(near) === String(value) ? near : String(value);
  }
  return String(arqueroKey(value));
}

/** The values of a column of a chunk by underlying row; a column the chunk lacks reads as undefined (as `concat`). */
function valuesOf(chunk: ColumnTable, name: string): ArrayLike<unknown> | undefined {
  return chunk.columnNames().includes(name) ? columnValues(chunk, name) : undefined;
}

/** The groups seen so far, in order of first appearance, with the first row's group values. */
class GroupIndex {
  /** Per group column, the value of each group's first row. */
  readonly firsts: unknown[][];
  /** Rows per group. */
  readonly sizes: number[] = [];
  private readonly strings = new Map<string, number>();
  private readonly numbers = new Map<number, number>();
  private readonly others = new Map<string, number>();
  /** True once a group value is neither text, a number, a boolean nor null (the kernel leaves those to Arquero). */
  sawOtherKey = false;
  private readonly groupBy: readonly string[];
  /** Called with each new group's id, so that the aggregates grow their state. */
  private readonly grow: () => void;

  constructor(groupBy: readonly string[], grow: () => void) {
    this.groupBy = groupBy;
    this.grow = grow;
    this.firsts = groupBy.map(() => []);
  }

  /** Without group columns the whole stream is one group, even an empty one (as Arquero's rollup). */
  open(): void {
    if (this.groupBy.length === 0) this.create([]);
  }

  private create(values: readonly unknown[]): number {
    for (let i = 0; i < values.length; i++) this.firsts[i]?.push(values[i]);
    this.grow();
    return this.sizes.push(0) - 1;
  }

  /** The group of each kept row (in `rows` order); new groups are added as they appear. */
  assign(chunk: ColumnTable, rows: Uint32Array): Int32Array {
    const ids = new Int32Array(rows.length);
    if (this.groupBy.length === 1) this.assignOne(valuesOf(chunk, this.groupBy[0] as string), rows, ids);
    else if (this.groupBy.length > 1) this.assignMany(chunk, rows, ids);
    const sizes = this.sizes;
    for (let k = 0; k < ids.length; k++) sizes[ids[k] as number] = (sizes[ids[k] as number] as number) + 1;
    return ids;
  }

  private assignOne(values: ArrayLike<unknown> | undefined, rows: Uint32Array, ids: Int32Array): void {
    for (let k = 0; k < rows.length; k++) {
      const v = values?.[rows[k] as number];
      let id: number | undefined;
      if (typeof v === 'string') {
        id = this.strings.get(v);
        if (id === undefined) {
          id = this.create([v]);
          this.strings.set(v, id);
        }
      } else {
        if (typeof v !== 'number' && typeof v !== 'boolean' && v !== null && v !== undefined) this.sawOtherKey = true;
        const key = typeof v === 'number' ? v : otherKey(v);
        const map = (typeof key === 'number' ? this.numbers : this.others) as Map<unknown, number>;
        id = map.get(key);
        if (id === undefined) {
          id = this.create([v]);
          map.set(key, id);
        }
      }
      ids[k] = id;
    }
  }

  /** Several group columns: Arquero's own key, the values' keys joined by '|'. */
  private assignMany(chunk: ColumnTable, rows: Uint32Array, ids: Int32Array): void {
    const columns = this.groupBy.map((name) => valuesOf(chunk, name));
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k] as number;
      const values = columns.map((values) => values?.[row]);
      const key = values.map((v) => String(arqueroKey(v))).join('|');
      let id = this.others.get(key);
      if (id === undefined) {
        id = this.create(values);
        this.others.set(key, id);
      }
      ids[k] = id;
    }
  }
}

/** One aggregate's running state per group, updated with Arquero's arithmetic (see `aggregate-kernel.ts`). */
class RunningAggregate {
  readonly spec: AggregateSpec;
  /** Valid (not null, undefined nor NaN) values per group. */
  readonly valid: number[] = [];
  /** sum, mean, min or max per group; undefined until a value for min and max (Arquero's NULL). */
  readonly acc: unknown[] = [];
  /** For a mean, the +Infinity and -Infinity values per group (see `meanWithInfinities`). */
  readonly positive: number[] = [];
  readonly negative: number[] = [];
  /** Distinct values per group: strings as they are, anything else by its Arquero key. */
  readonly distinct: { strings: Set<string>; others: Set<unknown> }[] = [];
  /** True once a value that is not a number was aggregated (the kernel leaves those to Arquero). */
  sawOther = false;

  constructor(spec: AggregateSpec) {
    this.spec = spec;
  }

  grow(): void {
    this.valid.push(0);
    this.positive.push(0);
    this.negative.push(0);
    this.acc.push(this.spec.op === 'min' || this.spec.op === 'max' ? undefined : 0);
    if (this.spec.op === 'distinct_count') this.distinct.push({ strings: new Set(), others: new Set() });
  }

  add(chunk: ColumnTable, rows: Uint32Array, ids: Int32Array): void {
    const { column, op } = this.spec;
    if (column === undefined || !chunk.columnNames().includes(column)) return;
    const view = op === 'distinct_count' ? undefined : numericColumn(chunk, column);
    if (view) addNumbers(this, view.values, rows, ids);
    else addValues(this, columnValues(chunk, column), rows, ids);
  }

  /** The output column: as `aggregateExpression` in aggregate-step.ts (null for a group with no value). */
  values(sizes: readonly number[]): unknown[] {
    const { column, op } = this.spec;
    if (column === undefined) return [...sizes];
    if (op === 'count') return [...this.valid];
    if (op === 'distinct_count') return this.distinct.map((d) => d.strings.size + d.others.size);
    if (op === 'mean') {
      return this.acc.map((a, g) =>
        (this.valid[g] as number) > 0
          ? meanWithInfinities(a as number, this.positive[g] as number, this.negative[g] as number)
          : null,
      );
    }
    return this.acc.map((a, g) => ((this.valid[g] as number) > 0 ? (a ?? null) : null));
  }
}

/**
 * Numbers (NaN where null): the same updates as {@link addValues}, in the same order. The accumulator
 * keeps JavaScript's own semantics (a BigInt sum from an earlier chunk throws, as Arquero's would).
 */
function addNumbers(state: RunningAggregate, values: Float64Array, rows: Uint32Array, ids: Int32Array): void {
  const { valid, acc } = state;
  const op = state.spec.op;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k] as number] as number;
    if (Number.isNaN(v)) continue;
    const g = ids[k] as number;
    const n = ++(valid[g] as number);
    const a = acc[g] as number;
    if (op === 'sum') acc[g] = a + v;
    else if (op === 'mean') {
      acc[g] = a + (v - a) / n;
      if (v === Number.POSITIVE_INFINITY) state.positive[g] = (state.positive[g] as number) + 1;
      else if (v === Number.NEGATIVE_INFINITY) state.negative[g] = (state.negative[g] as number) + 1;
    } else if (op === 'min') {
      if (v < a || acc[g] === undefined) acc[g] = v;
    } else if (op === 'max') {
      if (v > a || acc[g] === undefined) acc[g] = v;
    }
  }
}

/** Any values: Arquero's reducers (arquero/src/op/aggregate-functions.js) applied to each valid value. */
function addValues(state: RunningAggregate, values: ArrayLike<unknown>, rows: Uint32Array, ids: Int32Array): void {
  const { valid, acc, distinct } = state;
  const op = state.spec.op;
  for (let k = 0; k < rows.length; k++) {
    const v: unknown = values[rows[k] as number];
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    const g = ids[k] as number;
    const n = ++(valid[g] as number);
    // the operators of Arquero's reducers on whatever the values are (text is coerced as there)
    const a = acc[g] as number;
    const x = v as number;
    if (typeof v !== 'number') state.sawOther = true;
    if (op === 'sum') {
      if (typeof v === 'bigint') acc[g] = acc[g] === 0 ? v : (acc[g] as bigint) + v;
      else acc[g] = a + +x;
    } else if (op === 'mean') {
      acc[g] = a + (x - a) / n;
      // compared as the rollup's helper expressions compare (text coerced, as by the subtraction)
      if (x > Number.MAX_VALUE) state.positive[g] = (state.positive[g] as number) + 1;
      else if (x < -Number.MAX_VALUE) state.negative[g] = (state.negative[g] as number) + 1;
    } else if (op === 'min') {
      if (x < a || acc[g] === undefined) acc[g] = v;
    } else if (op === 'max') {
      if (x > a || acc[g] === undefined) acc[g] = v;
    } else if (op === 'distinct_count') {
      const seen = distinct[g] as { strings: Set<string>; others: Set<unknown> };
      if (typeof v === 'string') seen.strings.add(v);
      else seen.others.add(arqueroKey(v));
    }
  }
}

/**
 * `aggregateTable` computed chunk by chunk, holding one running state per group and aggregate, never
 * the rows: the result equals `aggregateTable(concatDataFrames(chunks), groupBy, aggregates)` (what a
 * batch `aggregate` after a streaming step computes), the same groups in the same order, and the same
 * numbers, since each running sum, mean, min and max takes the values in the order the batch does.
 * A stream whose rows all come in its first chunk is aggregated by `aggregateTable` itself (which is
 * what `concat` hands it), so that chunk is kept until a second chunk with rows arrives.
 */
export class AggregateFold {
  private readonly groupBy: readonly string[];
  private readonly aggregates: readonly AggregateSpec[];
  private readonly step: string;
  private readonly groups: GroupIndex;
  private readonly states: RunningAggregate[];
  /** The first chunk, until a later chunk with rows arrives. */
  private first: ColumnTable | undefined;
  private started = false;
  private folding = false;

  constructor(groupBy: readonly string[], aggregates: readonly AggregateSpec[], step: string) {
    this.groupBy = groupBy;
    this.aggregates = aggregates;
    this.step = step;
    this.states = aggregates.map((spec) => new RunningAggregate(spec));
    this.groups = new GroupIndex(groupBy, () => {
      for (const state of this.states) state.grow();
    });
  }

  private required(): string[] {
    return [...this.groupBy, ...this.aggregates.flatMap((a) => (a.column === undefined ? [] : [a.column]))];
  }

  /**
   * Adds a chunk's rows (its filter applied) to the running aggregates.
   * @throws StepwiseError `COLUMN_NOT_FOUND` when the first chunk lacks a group or aggregate column
   */
  add(chunk: ColumnTable): void {
    if (!this.started) {
      requireColumns(chunk, this.step, this.required());
      this.started = true;
      this.first = chunk;
      return;
    }
    if (!this.folding) {
      if (chunk.numRows() === 0) return;
      this.folding = true;
      this.groups.open();
      this.fold(this.first as ColumnTable);
      this.first = undefined;
    }
    this.fold(chunk);
  }

  private fold(chunk: ColumnTable): void {
    const rows = keptRows(chunk.totalRows(), chunk.mask());
    const ids = this.groups.assign(chunk, rows);
    for (const state of this.states) state.add(chunk, rows, ids);
  }

  /** The aggregated table: one row per group, groups in order of first appearance. */
  result(): ColumnTable {
    if (!this.folding) {
      const whole = this.first ?? concatDataFrames([]);
      requireColumns(whole, this.step, this.required());
      return aggregateTable(whole, this.groupBy, this.aggregates);
    }
    // the columns as Arquero's rollup adds them: group columns, then the aggregates in object-key order
    const data: Record<string, unknown[]> = {};
    const names: string[] = [];
    const add = (name: string, values: unknown[]) => {
      if (!Object.hasOwn(data, name)) names.push(name);
      data[name] = values;
    };
    for (const [i, name] of this.groupBy.entries()) {
      add(
        name,
        (this.groups.firsts[i] as unknown[]).map((v) => v ?? null),
      );
    }
    if (this.byKernel()) {
      for (const state of this.states) add(aggregateName(state.spec), state.values(this.groups.sizes));
    } else {
      const exprs: Record<string, RunningAggregate> = {};
      for (const state of this.states) exprs[aggregateName(state.spec)] = state;
      for (const [name, state] of Object.entries(exprs)) add(name, state.values(this.groups.sizes));
    }
    return arquero().table(data, names);
  }

  /**
   * Whether `aggregateTable` on the concatenated rows answers by the kernel (`fastAggregate`) rather
   * than by Arquero's rollup. The values are the same; only the column order differs, for an output
   * name that reads as an array index ("1"): the kernel keeps the order given, the rollup, an object,
   * puts such names first.
   */
  private byKernel(): boolean {
    const names = [...this.groupBy, ...this.aggregates.map(aggregateName)];
    return (
      this.groupBy.length <= 1 &&
      new Set(names).size === names.length &&
      !this.groups.sawOtherKey &&
      this.states.every((s) => s.spec.op !== 'distinct_count' && (s.spec.op === 'count' || !s.sawOther))
    );
  }
}
