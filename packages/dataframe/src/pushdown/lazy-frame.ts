import type { ColumnTable } from 'arquero';
import type { FileFingerprint, LazyColumn, LazyOp, LazyPlan, SqlType } from './lazy-plan.js';

/** What starts the bytes of an encoded lazy table (an Arrow IPC stream starts with 0xFFFFFFFF). */
const MAGIC = 'stepwise.lazy-dataframe\n';

/**
 * A DataFrame that is still a query: the output of a pushed-down step. It holds the plan (its source
 * file and the steps since), not rows; the rows are computed by DuckDB, once, when something reads
 * them (`materialize`), or never, when the next step extends the plan (a writer runs it as one query).
 */
export class LazyFrame {
  readonly plan: LazyPlan;
  #table: Promise<ColumnTable> | undefined;
  #rows: number | undefined;
  #listeners: ((rows: number) => void)[] = [];

  constructor(plan: LazyPlan) {
    this.plan = plan;
  }

  /** The columns, with their types, after the last step. */
  get columns(): LazyColumn[] {
    return this.plan.ops.at(-1)?.out ?? this.plan.source.columns;
  }

  /** The column names, in order. */
  columnNames(): string[] {
    return this.columns.map((column) => column.name);
  }

  /** The column types by name. */
  types(): Map<string, SqlType> {
    return new Map(this.columns.map((column) => [column.name, column.type]));
  }

  /** The steps whose work the plan holds, by id, in order (the source step first). */
  steps(): string[] {
    return this.plan.ops.map((op) => op.step);
  }

  /** The files the plan reads, as they were when it was made: its source's and every joined plan's. */
  sourceFiles(): FileFingerprint[] {
    return filesOf(this.plan);
  }

  /** The row count, once this frame's query has run here (undefined before). */
  get rows(): number | undefined {
    return this.#rows;
  }

  /**
   * Calls `listener` with the row count when this frame's query has run (at once if it already has),
   * whoever ran it: a reader's `materialize`, or the runner's before a step that needs rows. A
   * listener's exception is ignored.
   */
  onRows(listener: (rows: number) => void): void {
    if (this.#rows === undefined) this.#listeners.push(listener);
    else tell(listener, this.#rows);
  }

  /** This plan with one more step. */
  with(op: LazyOp): LazyFrame {
    return new LazyFrame({ source: this.plan.source, ops: [...this.plan.ops, op] });
  }

  /**
   * The rows, as a table: the plan run by DuckDB as one query (once; later calls answer the same table).
   * @throws StepwiseError `SOURCE_CHANGED` when a source file changed since; `PUSHDOWN_FAILED` naming the steps
   */
  materialize(signal?: AbortSignal): Promise<ColumnTable> {
    if (this.#table === undefined) {
      const table = import('./run-lazy.js').then(({ queryPlan }) => queryPlan(this.plan, signal));
      table.then(
        (done) => {
          this.#rows = done.numRows();
          for (const listener of this.#listeners.splice(0)) tell(listener, this.#rows);
        },
        // a failed or cancelled run is not kept: the next reader tries again
        () => {
          if (this.#table === table) this.#table = undefined;
        },
      );
      this.#table = table;
    }
    return this.#table;
  }

  /** The plan as bytes: what a store keeps of a lazy table (small JSON, never rows). */
  encode(): Uint8Array {
    return new TextEncoder().encode(MAGIC + JSON.stringify(this.plan));
  }

  /** A lazy table from {@link LazyFrame.encode}'s bytes; undefined for other bytes (an Arrow IPC stream). */
  static decode(bytes: Uint8Array): LazyFrame | undefined {
    if (bytes.byteLength < MAGIC.length || bytes[0] !== MAGIC.charCodeAt(0)) return undefined;
    const text = new TextDecoder().decode(bytes);
    if (!text.startsWith(MAGIC)) return undefined;
    return new LazyFrame(JSON.parse(text.slice(MAGIC.length)) as LazyPlan);
  }
}

function filesOf(plan: LazyPlan): FileFingerprint[] {
  return [plan.source.file, ...plan.ops.flatMap((op) => (op.op === 'join' ? filesOf(op.right) : []))];
}

function tell(listener: (rows: number) => void, rows: number): void {
  try {
    listener(rows);
  } catch {
    // a listener's failure is its own: the table is still good
  }
}
