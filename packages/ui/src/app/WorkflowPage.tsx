import type { WorkflowDocument } from '@stepwise/core/model';
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  ApiError,
  type Plan,
  SaveConflictError,
  type SavedWorkflow,
  type StepShape,
  type StepwiseApi,
} from '../api/types.js';
import { Editor } from '../components/Editor.js';
import { HistoryList } from '../components/panels/HistoryList.js';
import { PlanView } from '../components/panels/PlanView.js';
import type { Validated } from '../components/panels/StepPanel.js';
import type { CatalogIndex } from '../graph/catalog.js';
import { documentText, downloadText, isDirty } from './document-file.js';
import { errorText } from './error-text.js';
import { StepPreview } from './StepPreview.js';
import { useRun } from './use-run.js';

/** The workflow to open and how to go back to the list. */
export interface WorkflowPageProps {
  api: StepwiseApi;
  catalog: CatalogIndex;
  workflowId: string;
  onClose: () => void;
}

/** The mark of unsaved changes. */
const UNSAVED = '● unsaved';

/** Milliseconds after the last edit before the document is validated by the server. */
const VALIDATE_AFTER_MS = 250;

/** One saved workflow in the editor: save (with the conflict check), export, validation, plan, run and its events. */
export function WorkflowPage({ api, catalog, workflowId, onClose }: WorkflowPageProps) {
  // `opened` changes only when another version is loaded (a new object restarts the editor's history)
  const [opened, setOpened] = useState<WorkflowDocument>();
  const [saved, setSaved] = useState<SavedWorkflow>();
  const [edited, setEdited] = useState<WorkflowDocument>();
  const [validated, setValidated] = useState<Validated>();
  const [shapes, setShapes] = useState<Record<string, StepShape>>();
  const [pushedDown, setPushedDown] = useState<ReadonlySet<string>>();
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState<SaveConflictError>();
  // `fresh`: Run every step again (no reuse of the latest run's outputs); `stale`: the user's choice
  // is shown at once, and `plan` is the previous one until the server has planned that choice
  const [plan, setPlan] = useState<{ plan: Plan; resume?: string; fresh?: boolean; stale?: boolean }>();
  const [busy, setBusy] = useState(false);
  const runs = useRun(api, workflowId);
  const validation = useRef(0);
  // the plan request whose answer is wanted: an older answer, or one after Close, is dropped
  const planning = useRef(0);
  // what Ctrl+S does and whether leaving would lose edits, as of the last render
  const saveNow = useRef<(() => void) | undefined>(undefined);
  const unsaved = useRef(false);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey || event.key.toLowerCase() !== 's')
        return;
      event.preventDefault();
      saveNow.current?.();
    };
    const onLeave = (event: BeforeUnloadEvent) => {
      if (unsaved.current) event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('beforeunload', onLeave);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('beforeunload', onLeave);
    };
  }, []);

  useEffect(() => {
    api.getWorkflow(workflowId).then(
      (loaded) => {
        setSaved(loaded);
        setOpened(loaded.document);
        setValidated({ issues: loaded.issues, document: loaded.document });
      },
      (reason: unknown) => setError(errorText(reason)),
    );
  }, [api, workflowId]);

  const onChange = useCallback(
    (document: WorkflowDocument) => {
      setEdited(document);
      const ticket = ++validation.current;
      setTimeout(() => {
        if (ticket !== validation.current) return;
        api.validate(document).then(
          (result) => {
            if (ticket !== validation.current) return;
            setValidated({ issues: result.issues, document });
            setShapes(result.shapes);
            setPushedDown((shown) => sameSteps(shown, result.pushdown?.flat() ?? []));
          },
          (reason: unknown) => setError(errorText(reason)),
        );
      }, VALIDATE_AFTER_MS);
    },
    [api],
  );

  if (error && saved === undefined)
    return (
      <p className="sw-app-error" role="alert">
        {error}{' '}
        <button type="button" onClick={onClose}>
          Back to the workflows
        </button>
      </p>
    );
  if (saved === undefined || opened === undefined) return <p className="sw-app-loading">Opening {workflowId}…</p>;
  const current = edited ?? opened;
  const dirty = isDirty(current, saved.document);

  const act = async (action: () => Promise<void>) => {
    setError(undefined);
    setBusy(true);
    try {
      await action();
    } catch (reason) {
      if (reason instanceof SaveConflictError) setConflict(reason);
      else setError(errorText(reason));
    } finally {
      setBusy(false);
    }
  };

  const save = (etag = saved.etag) =>
    act(async () => {
      const result = await api.saveWorkflow(workflowId, current, etag);
      setConflict(undefined);
      setSaved({ ...result, document: current });
      setValidated({ issues: result.issues, document: current });
    });

  const takeTheirs = (theirs: SavedWorkflow) => {
    setConflict(undefined);
    setSaved(theirs);
    setEdited(undefined);
    setOpened(theirs.document);
    setValidated({ issues: theirs.issues, document: theirs.document });
  };

  unsaved.current = dirty;
  saveNow.current = dirty && !busy ? () => void save() : undefined;

  const showPlan = (resume?: string, fresh = false) =>
    act(async () => {
      const ticket = ++planning.current;
      try {
        // Run: a new run that keeps, by step key, what the workflow's latest run completed (unless fresh)
        const reuse = resume === undefined && !fresh ? 'latest' : undefined;
        const planned = await api.plan(current, resume, reuse);
        if (ticket !== planning.current) return;
        setPlan(resume === undefined ? { plan: planned, fresh } : { plan: planned, resume });
      } catch (reason) {
        if (ticket !== planning.current) return;
        // the choice goes back to what the plan shown was made for
        setPlan((shown) => (shown?.stale ? { ...shown, fresh: !fresh, stale: false } : shown));
        if (reason instanceof ApiError && reason.issues.length > 0) {
          setValidated({ issues: reason.issues, document: current });
          throw new Error(`The workflow cannot run: ${reason.issues.length} issue(s), listed under "issues".`);
        }
        throw reason;
      }
    });

  // the box shows the user's click at once (a controlled box showing only the planned choice would
  // spring back until the server answers), and Run waits for the plan of that choice
  const chooseFresh = (fresh: boolean) => {
    setPlan((shown) => shown && { ...shown, fresh, stale: true });
    void showPlan(undefined, fresh);
  };

  const closePlan = () => {
    planning.current++;
    setPlan(undefined);
  };

  const start = () =>
    act(async () => {
      const resume = plan?.resume;
      const { runId } =
        resume !== undefined
          ? await api.resumeRun(resume, current)
          : plan?.fresh
            ? await api.startRun({ document: current })
            : await api.startRun({ document: current, reuse: 'latest' });
      setPlan(undefined);
      runs.follow(runId);
    });

  const run = runs.run;
  const going = run !== undefined && (run.status === 'running' || run.status === 'pending');
  const resumable = run !== undefined && ['failed', 'cancelled', 'interrupted'].includes(run.status);
  const toolbar = (
    <>
      <button
        type="button"
        onClick={() => (!dirty || globalThis.confirm('Leave this workflow without saving your changes?')) && onClose()}
      >
        ← Workflows
      </button>
      <span className="sw-title">{current.name ?? workflowId}</span>
      {/* the mark's place is kept while it is hidden: an edit committed by the press on a button (a field
          losing focus) shows the mark before the release, and a mark pushing the buttons aside there would
          move the button from under the pointer and lose the click */}
      <span className="sw-dirty-slot">
        <span aria-hidden="true">{UNSAVED}</span>
        {dirty && (
          <span className="sw-dirty" title="Unsaved changes">
            {UNSAVED}
          </span>
        )}
      </span>
      <button type="button" onClick={() => void save()} disabled={busy || !dirty} title="Save (Ctrl+S)">
        Save
      </button>
      <button type="button" onClick={() => downloadText(`${current.id}.json`, documentText(current))}>
        Export
      </button>
      <button type="button" onClick={() => void showPlan()} disabled={busy || going}>
        Run…
      </button>
      {going && (
        <button type="button" onClick={() => void act(() => api.cancelRun(run.runId))}>
          Cancel
        </button>
      )}
      {resumable && (
        <button type="button" onClick={() => void showPlan(run.runId)} disabled={busy}>
          Resume…
        </button>
      )}
      {run && (
        <span className={`sw-badge sw-badge-${run.status} sw-run-status`} data-run={run.runId}>
          run {run.status}
        </span>
      )}
      {(error ?? runs.error) && (
        <span className="sw-banner-error" role="alert">
          {error ?? runs.error}
        </span>
      )}
      {conflict && (
        <span className="sw-banner sw-banner-error" role="alert">
          {conflict.message}
          <button type="button" onClick={() => void save(conflict.theirs.etag)}>
            Overwrite with mine
          </button>
          <button type="button" onClick={() => takeTheirs(conflict.theirs)}>
            Load theirs
          </button>
        </span>
      )}
    </>
  );

  return (
    <Editor
      catalog={catalog}
      document={opened}
      onChange={onChange}
      validated={validated}
      shapes={shapes}
      pushedDown={pushedDown}
      run={run}
      toolbar={toolbar}
      preview={(stepId) => <StepPreview api={api} run={run} stepId={stepId} onRows={runs.noteRows} />}
      history={
        <HistoryList
          runs={runs.history}
          current={run?.runId}
          onOpen={(id) => void runs.open(id)}
          onMore={runs.more === undefined ? undefined : runs.loadMore}
        />
      }
      overlay={
        plan && (
          <PlanView
            steps={plan.plan.steps}
            mode={plan.resume === undefined ? 'run' : 'resume'}
            busy={busy || plan.stale === true}
            stale={plan.stale === true}
            fresh={plan.fresh === true}
            onFresh={chooseFresh}
            onConfirm={() => void start()}
            onClose={closePlan}
          />
        )
      }
    />
  );
}

/** The set of `ids`, or `shown` when it holds the same steps (so the canvas's nodes stay as they are). */
function sameSteps(shown: ReadonlySet<string> | undefined, ids: readonly string[]): ReadonlySet<string> {
  const next = new Set(ids);
  return shown?.size === next.size && ids.every((id) => shown.has(id)) ? shown : next;
}
