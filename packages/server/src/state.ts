import type { RuntimeContext, Store, WorkflowRunner } from '@stepwise/core';
import type { ServerLimits } from './options.js';
import type { ServerProject } from './project.js';
import type { LazyPages } from './runs/lazy-pages.js';
import type { LazyRows } from './runs/lazy-rows.js';
import type { RunManager } from './runs/run-manager.js';
import type { StreamSlots } from './runs/stream-slots.js';
import type { WorkflowFiles } from './workflow-files.js';

/** What every route works with. */
export interface ServerState {
  project: ServerProject;
  files: WorkflowFiles;
  runner: WorkflowRunner;
  /** The context over the project's store: run records, values, the cache index. */
  context: RuntimeContext<Store>;
  runs: RunManager;
  /** Row counts of lazy values (pushed-down outputs), learnt when their query ran here, and recorded in the store. */
  lazyRows: LazyRows;
  /** Lazy values' query results, kept (bounded) for their next preview pages. */
  lazyPages: LazyPages;
  /** The event streams open, within their caps. */
  streams: StreamSlots;
  limits: ServerLimits;
  version: string;
  startedAt: number;
  /** Takes absolute paths out of a message. */
  scrub: (text: string) => string;
}
