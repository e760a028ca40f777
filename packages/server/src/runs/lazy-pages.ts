// Pages of a lazy value (a pushed-down step's output) come from its query's result. Running the whole
// query for every page (page 2 re-reading the file, sorting, grouping again) made each page cost as
// much as the first, so the result is kept here, by the plan (two runs of the same chain over the same
// file share it), bounded in cells: a result over a quarter of the bound keeps a window of rows about
// the page asked for, and a later page outside it runs the query again. A kept result is used only
// while every file the plan reads is as it was (size and modification time); once one changed, the
// query runs again, and refuses with SOURCE_CHANGED as it always did.
import { stat } from 'node:fs/promises';
import type { DataFrame, LazyFrame } from '@stepwise/dataframe';

/** Rows `start` to `start + table.numRows()` of a query's result of `total` rows. */
export interface RowWindow {
  table: DataFrame;
  start: number;
  total: number;
}

interface Kept extends RowWindow {
  cells: number;
  files: ReturnType<LazyFrame['sourceFiles']>;
}

/** Results of lazy values' queries, kept for their next pages; bounded in cells, least recently used out first. */
export class LazyPages {
  readonly #kept = new Map<string, Promise<Kept>>();
  readonly #sizes = new Map<string, number>();
  readonly #budget: number;
  #cells = 0;

  /** Keeps at most `budget` cells (rows × columns) of results in all (the server's `previewCacheCells`). */
  constructor(budget: number) {
    this.#budget = budget;
  }

  /**
   * Rows of `frame`'s result around `offset` to `offset + limit`: from a kept result when it holds
   * them and the plan's files are unchanged, else by running the query (and keeping what fits).
   * @throws StepwiseError `SOURCE_CHANGED`, `PUSHDOWN_FAILED` from the query
   */
  async rows(frame: LazyFrame, offset: number, limit: number): Promise<RowWindow> {
    const key = JSON.stringify(frame.plan);
    const kept = await this.#held(key);
    if (kept !== undefined && covers(kept, offset, limit)) return kept;
    const running = frame.materialize().then((table) => this.#window(table, frame, offset, limit));
    // the same result asked for twice at once runs once
    this.#forget(key);
    this.#kept.set(key, running);
    const window = await running.catch((error: unknown) => {
      if (this.#kept.get(key) === running) this.#kept.delete(key);
      throw error;
    });
    if (this.#kept.get(key) === running) this.#account(key, window.cells);
    return window;
  }

  /** The whole result of `frame`: the kept one when it is whole and current, else the query's. */
  async whole(frame: LazyFrame): Promise<DataFrame> {
    const kept = await this.#held(JSON.stringify(frame.plan));
    return kept !== undefined && kept.start === 0 && kept.table.numRows() === kept.total
      ? kept.table
      : frame.materialize();
  }

  /** The kept result under `key`, when there is one and its files are unchanged; touched as recently used. */
  async #held(key: string): Promise<Kept | undefined> {
    const promise = this.#kept.get(key);
    if (promise === undefined) return undefined;
    const kept = await promise.catch(() => undefined);
    if (kept === undefined || this.#kept.get(key) !== promise) return undefined;
    if (!(await unchanged(kept.files))) {
      if (this.#kept.get(key) === promise) this.#forget(key);
      return undefined;
    }
    this.#kept.delete(key);
    this.#kept.set(key, promise);
    return kept;
  }

  /** The part of `table` to keep: all of it when it fits a quarter of the budget, else a window about the page. */
  #window(table: DataFrame, frame: LazyFrame, offset: number, limit: number): Kept {
    const total = table.numRows();
    const columns = Math.max(1, table.numCols());
    const files = frame.sourceFiles();
    const fits = Math.floor(this.#budget / 4 / columns);
    if (total <= fits) return { table, start: 0, total, cells: Math.max(1, total) * columns, files };
    // too wide to keep even one page: answered, not kept
    if (fits < limit) return { table, start: 0, total, cells: 0, files };
    // pages about the one asked for: those before it too, for a reader paging back
    const start = Math.max(0, Math.min(offset - Math.floor((fits - limit) / 2), total - fits));
    const part = table.slice(start, start + fits);
    return { table: part, start, total, cells: part.numRows() * columns, files };
  }

  /** Counts `cells` for `key`, then drops the least recently used results until the budget holds. */
  #account(key: string, cells: number): void {
    if (cells === 0) {
      this.#kept.delete(key);
      return;
    }
    this.#sizes.set(key, cells);
    this.#cells += cells;
    for (const [oldest] of this.#kept) {
      if (this.#cells <= this.#budget || oldest === key) break;
      this.#forget(oldest);
    }
  }

  #forget(key: string): void {
    this.#kept.delete(key);
    this.#cells -= this.#sizes.get(key) ?? 0;
    this.#sizes.delete(key);
  }
}

function covers(kept: RowWindow, offset: number, limit: number): boolean {
  const end = Math.min(offset + limit, kept.total);
  return offset >= kept.start && end <= kept.start + kept.table.numRows();
}

/** True while every file is the size and age it was. */
async function unchanged(files: ReturnType<LazyFrame['sourceFiles']>): Promise<boolean> {
  for (const file of files) {
    const now = await stat(file.path).catch(() => undefined);
    if (now?.size !== file.size || now.mtimeMs !== file.mtimeMs) return false;
  }
  return true;
}
