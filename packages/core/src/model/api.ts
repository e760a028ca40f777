import type { JsonValue } from './json.js';

/*
 * Shapes the server's HTTP API sends (`stepwise serve`) and the editor reads: written once here, in the
 * browser-safe model, so the two cannot drift apart.
 */

/** A saved workflow in `GET /api/workflows`. */
export interface WorkflowSummary {
  id: string;
  name: string;
  description: string;
  steps: number;
  /** ISO time of the last save. */
  updatedAt: string;
}

/** `GET /api/runs/:id` of a run waiting for a slot. */
export interface QueuedRun {
  id: string;
  workflowId: string;
  status: 'pending';
  queued: true;
  queuedAt: number;
}

/** One column of a data page. */
export interface PageColumn {
  name: string;
  type: string;
}

/** A page of a ref's rows (`GET /api/data/:ref/rows`), JSON-safe, bounded in rows and bytes. */
export interface DataPage {
  columns: PageColumn[];
  /** Rows as arrays, in `columns` order. */
  rows: JsonValue[][];
  offset: number;
  /** Every row of the value, when known. */
  total?: number;
  /** True when the byte bound cut the page short: fewer rows than asked, more follow. */
  truncated?: boolean;
  /** A value that is not a table (a JSON object, a text): itself, made JSON-safe. */
  json?: JsonValue;
}
