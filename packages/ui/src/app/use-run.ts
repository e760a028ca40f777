import { useCallback, useEffect, useRef, useState } from 'react';
import type { RunSummary, StepwiseApi, Unsubscribe } from '../api/types.js';
import { applyRunEvent, type RunView, runViewOf, withOutputRows } from '../run/run-view.js';
import { errorText } from './error-text.js';

/** The run shown on the canvas, the workflow's run history, and how to follow or open a run. */
export interface RunState {
  run: RunView | undefined;
  history: RunSummary[];
  /** The cursor of older runs, when there are some. */
  more: string | undefined;
  error: string | undefined;
  /** Shows run `runId` from its start, following its events live. */
  follow(runId: string): void;
  /** Shows a run of the history: its record, then its live events if it is still going. */
  open(runId: string): Promise<void>;
  loadMore(): void;
  /**
   * Shows `rows` as the row count of the step whose output is `ref` in the run shown, when it had none
   * (a pushed-down step's lazy output is counted only once a preview has run its query).
   */
  noteRows(ref: string, rows: number): void;
}

const PAGE = 20;

/**
 * Follows the runs of workflow `workflowId`. When the page opens while a run of it is going (a
 * reload mid-run), that run is shown and followed from where its record is.
 */
export function useRun(api: StepwiseApi, workflowId: string): RunState {
  const [run, setRun] = useState<RunView>();
  const [history, setHistory] = useState<RunSummary[]>([]);
  const [more, setMore] = useState<string>();
  const [error, setError] = useState<string>();
  const stop = useRef<Unsubscribe>(undefined);

  const refresh = useCallback(async () => {
    const page = await api.listRuns({ workflowId, limit: PAGE });
    setHistory(page.runs);
    setMore(page.next);
    return page.runs;
  }, [api, workflowId]);

  const listen = useCallback(
    (runId: string, view: RunView | undefined) => {
      stop.current?.();
      setRun(view);
      setError(undefined);
      stop.current = api.followRun(runId, (event) => setRun((current) => applyRunEvent(current, event)), {
        ...(view === undefined ? {} : { afterSeq: view.seq }),
        onEnd: (failure) => {
          if (failure) setError(errorText(failure));
          void refresh().catch(() => undefined);
          // the rows of outputs the events could not count (DataFrames), from the run's values
          api.getRun(runId).then(
            (detail) => {
              if (detail.queued) return;
              setRun((current) => (current?.runId === runId ? withOutputRows(current, detail.values) : current));
            },
            () => undefined,
          );
        },
      });
    },
    [api, refresh],
  );

  const open = useCallback(
    async (runId: string) => {
      try {
        const detail = await api.getRun(runId);
        if (detail.queued) return listen(runId, undefined);
        const view = withOutputRows(runViewOf(detail), detail.values);
        if (view.status === 'pending' || view.status === 'running') listen(runId, view);
        else {
          stop.current?.();
          setRun(view);
        }
      } catch (reason) {
        setError(errorText(reason));
      }
    },
    [api, listen],
  );

  useEffect(() => {
    refresh().then(
      (runs) => {
        const going = runs.find((summary) => summary.status === 'running' || summary.status === 'pending');
        if (going) void open(going.id);
      },
      (reason: unknown) => setError(errorText(reason)),
    );
    return () => stop.current?.();
  }, [refresh, open]);

  const loadMore = useCallback(() => {
    if (more === undefined) return;
    api.listRuns({ workflowId, limit: PAGE, cursor: more }).then(
      (page) => {
        setHistory((current) => [...current, ...page.runs]);
        setMore(page.next);
      },
      (reason: unknown) => setError(errorText(reason)),
    );
  }, [api, workflowId, more]);

  const follow = useCallback(
    (runId: string) => {
      listen(runId, undefined);
      void refresh().catch(() => undefined);
    },
    [listen, refresh],
  );

  const noteRows = useCallback((ref: string, rows: number) => {
    setRun((current) => current && withOutputRows(current, { [ref]: { rows } }));
  }, []);

  return { run, history, more, error, follow, open, loadMore, noteRows };
}
