import type {
  Catalog,
  DataPage,
  QueuedRun,
  RunEvent,
  RunRecord,
  RunStatus,
  WorkflowDocument,
  WorkflowSummary,
} from '@stepwise/core/model';
import type { EditorIssue } from '../graph/issues.js';

export type { DataPage, PageColumn, QueuedRun, WorkflowSummary } from '@stepwise/core/model';

/*
 * The editor's only way to the server (`stepwise serve`, issue 11). This module holds the interface;
 * its HTTP implementation is written against the real server. Each method names the endpoint it
 * expects; every error is an {@link ApiError} built from the server's `{ code, message }` body.
 */

/** A saved workflow: its document, the version tag for `If-Match`, and its validation issues. */
export interface SavedWorkflow {
  document: WorkflowDocument;
  /** The `ETag` the server sent; a save sends it back as `If-Match`. */
  etag: string;
  issues: EditorIssue[];
}

/** What validation inferred of a step's output before anything runs. */
export interface StepShape {
  outputType: string;
  /** Column names, for a table whose columns are known. */
  columns?: string[];
}

/** The issues of a document and the inferred output of each step (by step id). */
export interface Validation {
  /** True when there are no issues (`POST /api/validate` says it; a plan is of a valid document). */
  valid?: boolean;
  issues: EditorIssue[];
  shapes: Record<string, StepShape>;
  /**
   * The chains of steps expected to run pushed down to DuckDB as one query, each in order (a reader
   * first), as `stepwise run --dry-run` marks them; absent from an older server.
   */
  pushdown?: string[][];
}

/**
 * What a run would do with one step, and why: the JSON of core's `StepPlan` (`runner.plan`), whose
 * type lives in core's main entry, out of the editor's reach; the fields the editor reads.
 */
export interface PlannedStep {
  id: string;
  type: string;
  action: 'reuse' | 'cached' | 'run';
  /** One line: `reuse`, `cached`, or `run: config changed: threshold 0.25 → 0.5; input load changed`. */
  message: string;
  /** The output a reused or cached step would take. */
  output?: string;
}

/** The dry run shown before Run: validation, and core's `RunPlan` (per step what would happen). */
export interface Plan extends Validation {
  workflowId: string;
  /** The earlier run continued (a resume) or compared with. */
  from?: string;
  /** True when the earlier run's outputs are kept (a resume). */
  reuse: boolean;
  steps: PlannedStep[];
  /** How many steps each action has. */
  counts: Record<PlannedStep['action'], number>;
}

/** A run in the history list (core's `RunSummary`). */
export interface RunSummary {
  id: string;
  workflowId: string;
  status: RunStatus;
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt?: number;
}

/** One page of the run history; `next` is the cursor of the following page. */
export interface RunPage {
  runs: RunSummary[];
  next?: string;
}

/** Filters and paging of the run history. */
export interface RunQuery {
  workflowId?: string;
  /** One status or several (the server takes a comma list). */
  status?: RunStatus | readonly RunStatus[];
  cursor?: string;
  limit?: number;
}

/** What `POST /api/runs` starts: a saved workflow or a posted document. */
export type RunRequest = ({ workflowId: string } | { document: WorkflowDocument }) & {
  inputs?: Record<string, string>;
  concurrency?: number;
  /** Take over, by step key, the completed outputs of the workflow's `latest` run, or of a run id. */
  reuse?: string;
};

/** A ref's info (core's `ValueInfo`): its data type and size, and the run and step that made it. */
export interface RefInfo {
  ref: string;
  type: string;
  rows?: number;
  bytes?: number;
  producer?: { runId: string; stepId: string };
  /** When it was stored, as an ISO 8601 string. */
  createdAt: string;
}

/** A run started or resumed: its id, and whether it waits for a free slot. */
export interface StartedRun {
  runId: string;
  queued: boolean;
}

/** `GET /api/runs/:id` of a run that has begun: its record, and the info of each output ref still stored. */
export type RunDetail = RunRecord & { queued?: undefined; values: Record<string, Omit<RefInfo, 'ref'>> };

/** The formats a ref downloads as. */
export type DownloadFormat = 'csv' | 'parquet' | 'json' | 'arrow';

/** An error the server answered with: its HTTP status, its `code` and `message`, and the rest of its body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The error body's other fields: `issues` of `DOCUMENT_INVALID`, `field` of `FIELD_INVALID`... */
  readonly details: Readonly<Record<string, unknown>>;
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The validation issues the error carries (a document refused with `DOCUMENT_INVALID`), else none. */
  get issues(): EditorIssue[] {
    const issues = this.details.issues;
    return Array.isArray(issues) ? (issues as EditorIssue[]) : [];
  }
}

/** A save refused because the file changed on disk (HTTP 409): both versions, to show and choose. */
export class SaveConflictError extends ApiError {
  readonly mine: WorkflowDocument;
  readonly theirs: SavedWorkflow;
  constructor(message: string, mine: WorkflowDocument, theirs: SavedWorkflow) {
    super(409, 'WORKFLOW_CONFLICT', message);
    this.name = 'SaveConflictError';
    this.mine = mine;
    this.theirs = theirs;
  }
}

/** Stops following a run's events. */
export type Unsubscribe = () => void;

/** Everything the editor asks of the server. */
export interface StepwiseApi {
  /** `GET /api/catalog`: step types (params as JSON Schema), data types, categories. */
  catalog(): Promise<Catalog>;
  /** `GET /api/workflows`. */
  listWorkflows(): Promise<WorkflowSummary[]>;
  /** `GET /api/workflows/:id` (the `ETag` header becomes `etag`). */
  getWorkflow(id: string): Promise<SavedWorkflow>;
  /** `POST /api/workflows` with the document; 409 when the id is taken. */
  createWorkflow(document: WorkflowDocument): Promise<SavedWorkflow>;
  /**
   * `PUT /api/workflows/:id` with `If-Match: etag`; a document with issues is saved and its issues
   * returned. @throws SaveConflictError on 409.
   */
  saveWorkflow(id: string, document: WorkflowDocument, etag: string): Promise<SavedWorkflow>;
  /** `POST /api/workflows/:id/rename` with `{ id }` and `If-Match`. */
  renameWorkflow(id: string, newId: string, etag: string): Promise<SavedWorkflow>;
  /** `DELETE /api/workflows/:id` with `If-Match`. */
  deleteWorkflow(id: string, etag: string): Promise<void>;
  /** `POST /api/validate` with the document as the body: issues (array paths) and inferred shapes. */
  validate(document: WorkflowDocument): Promise<Validation>;
  /**
   * `POST /api/plan[?resume=|?reuse=]` with the document as the body: what Run (or Resume of run
   * `resume`) would do; `reuse` (`latest` or a run id): a new run that takes over that run's outputs.
   * @throws ApiError `DOCUMENT_INVALID` (400) with its `issues` for a document that cannot run
   */
  plan(document: WorkflowDocument, resume?: string, reuse?: string): Promise<Plan>;
  /** `POST /api/runs` (202); 429 with `Retry-After` when the queue is full. */
  startRun(request: RunRequest): Promise<StartedRun>;
  /** `GET /api/runs?workflowId&status&cursor&limit`, newest first. */
  listRuns(query: RunQuery): Promise<RunPage>;
  /** `GET /api/runs/:id`: the run record (steps with status, attempts, durations, errors, outputs) or a queued run. */
  getRun(runId: string): Promise<RunDetail | QueuedRun>;
  /** `POST /api/runs/:id/cancel`. */
  cancelRun(runId: string): Promise<void>;
  /** `POST /api/runs/:id/resume` with `{ document }` (the current one): only what the plan says runs. */
  resumeRun(runId: string, document?: WorkflowDocument): Promise<StartedRun>;
  /**
   * `GET /api/runs/:id/events` (Server-Sent Events, the event's `seq` as the SSE id): every event
   * after `afterSeq` (sent as `Last-Event-ID`, so a reload picks up where it was), then live ones,
   * until the run's last event; `onEnd` is called once the stream ends (with the error when it failed).
   */
  followRun(
    runId: string,
    onEvent: (event: RunEvent) => void,
    options?: { afterSeq?: number; onEnd?: (error?: ApiError) => void },
  ): Unsubscribe;
  /** `GET /api/data/:ref`. */
  refInfo(ref: string): Promise<RefInfo>;
  /** `GET /api/data/:ref/rows?offset&limit` (bounded by the server in rows and bytes). */
  dataPage(ref: string, offset: number, limit: number): Promise<DataPage>;
  /** The URL of `GET /api/data/:ref/download?format=`. */
  downloadUrl(ref: string, format: DownloadFormat): string;
  /** `GET /api/data/:ref/download?format=` as a Blob: fetched like every request (with the token), unlike a link to {@link downloadUrl}. */
  download(ref: string, format: DownloadFormat): Promise<Blob>;
}
