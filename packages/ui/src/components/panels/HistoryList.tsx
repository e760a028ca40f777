import type { RunSummary } from '../../api/types.js';
import { formatDuration } from '../format.js';

/** The runs to list and what opening one does. */
export interface HistoryListProps {
  runs: readonly RunSummary[];
  /** The run shown on the canvas. */
  current?: string | undefined;
  onOpen: (runId: string) => void;
  /** Shown when there are more runs: loads the next page. */
  onMore?: (() => void) | undefined;
}

/** The runs of this workflow, newest first: status, start time and duration; a click opens one. */
export function HistoryList({ runs, current, onOpen, onMore }: HistoryListProps) {
  if (runs.length === 0) return <p className="sw-panel sw-empty">No runs yet.</p>;
  return (
    <section className="sw-panel sw-history" aria-label="Run history">
      <ul>
        {runs.map((run) => (
          <li key={run.id} className={run.id === current ? 'sw-active' : undefined}>
            <button type="button" onClick={() => onOpen(run.id)}>
              <span className={`sw-badge sw-badge-${run.status}`}>{run.status}</span>
              <time dateTime={new Date(run.startedAt).toISOString()}>{new Date(run.startedAt).toLocaleString()}</time>
              <span>{run.endedAt === undefined ? '…' : formatDuration(run.endedAt - run.startedAt)}</span>
            </button>
          </li>
        ))}
      </ul>
      {onMore && (
        <button type="button" onClick={onMore}>
          Older runs
        </button>
      )}
    </section>
  );
}
