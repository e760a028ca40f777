import type { JsonValue } from '@stepwise/core/model';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DataPage, PageColumn, RefInfo } from '../../api/types.js';
import { formatBytes, formatRows } from '../format.js';

/** The rows to show, fetched page by page. */
export interface DataPreviewProps {
  /** A page of rows from `offset` (the server bounds `limit`). */
  loadPage: (offset: number, limit: number) => Promise<DataPage>;
  info?: RefInfo | undefined;
  pageSize?: number;
  /** Row height in pixels (the rows are virtualized: only those in view are in the page). */
  rowHeight?: number;
}

interface Loaded {
  columns: PageColumn[];
  total: number | undefined;
  json?: JsonValue;
  /** Rows by index; pages are filled as they arrive. */
  rows: Map<number, JsonValue[]>;
}

function cell(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * A step's output as a table with column names and types, row count and size: virtualized, so a
 * million rows cost what the visible ones cost, and paged from the server as you scroll. JSON data
 * that is not a table shows as JSON.
 */
export function DataPreview({ loadPage, info, pageSize = 200, rowHeight = 26 }: DataPreviewProps) {
  const [loaded, setLoaded] = useState<Loaded>();
  const [error, setError] = useState<string>();
  const pending = useRef(new Set<number>());
  const scroller = useRef<HTMLDivElement>(null);

  const fetchPage = useCallback(
    (page: number) => {
      if (pending.current.has(page)) return;
      pending.current.add(page);
      loadPage(page * pageSize, pageSize).then(
        (result) =>
          setLoaded((current) => {
            const rows = new Map(current?.rows);
            for (const [index, row] of result.rows.entries()) rows.set(result.offset + index, row);
            const next: Loaded = { columns: result.columns, total: result.total, rows };
            if (result.json !== undefined) next.json = result.json;
            return next;
          }),
        (reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)),
      );
    },
    [loadPage, pageSize],
  );

  useEffect(() => {
    pending.current = new Set();
    setLoaded(undefined);
    setError(undefined);
    fetchPage(0);
  }, [fetchPage]);

  const known = loaded?.total ?? (loaded ? Math.max(...loaded.rows.keys(), -1) + 1 : 0);
  const virtualizer = useVirtualizer({
    count: known,
    getScrollElement: () => scroller.current,
    estimateSize: () => rowHeight,
    overscan: 20,
    initialRect: { width: 800, height: 400 },
  });
  const items = virtualizer.getVirtualItems();

  useEffect(() => {
    for (const item of items) {
      if (!loaded?.rows.has(item.index)) fetchPage(Math.floor(item.index / pageSize));
    }
  }, [items, loaded, fetchPage, pageSize]);

  if (error) return <p className="sw-panel sw-error">The preview could not be loaded: {error}</p>;
  if (!loaded) return <p className="sw-panel">Loading…</p>;
  const summary = [
    info?.type,
    loaded.total !== undefined ? formatRows(loaded.total) : undefined,
    info?.bytes !== undefined ? formatBytes(info.bytes) : undefined,
  ].filter(Boolean);
  if (loaded.json !== undefined) {
    return (
      <section className="sw-panel sw-preview" aria-label="Data preview">
        <p>{summary.join(' · ')}</p>
        <pre>{JSON.stringify(loaded.json, null, 2)}</pre>
      </section>
    );
  }
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <section className="sw-panel sw-preview" aria-label="Data preview">
      <p>{summary.join(' · ')}</p>
      <div ref={scroller} className="sw-scroll" style={{ height: 400, overflow: 'auto' }}>
        <table className="sw-table" aria-rowcount={known}>
          <thead>
            <tr>
              {loaded.columns.map((column) => (
                <th key={column.name} title={column.type}>
                  {column.name} <small>{column.type}</small>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {before > 0 && <tr style={{ height: before }} />}
            {items.map((item) => {
              const row = loaded.rows.get(item.index);
              return (
                <tr key={item.key} aria-rowindex={item.index + 1} style={{ height: rowHeight }}>
                  {loaded.columns.map((column, index) => (
                    <td key={column.name}>{row ? cell(row[index]) : '…'}</td>
                  ))}
                </tr>
              );
            })}
            {after > 0 && <tr style={{ height: after }} />}
          </tbody>
        </table>
      </div>
    </section>
  );
}
