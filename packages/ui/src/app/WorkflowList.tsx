import { DOCUMENT_FORMAT, DOCUMENT_VERSION, type WorkflowDocument } from '@stepwise/core/model';
import { type DragEvent, type FormEvent, useCallback, useEffect, useState } from 'react';
import type { StepwiseApi, WorkflowSummary } from '../api/types.js';
import { copyId, readDocumentText } from './document-file.js';
import { errorText } from './error-text.js';

/** The saved workflows and what opening one does. */
export interface WorkflowListProps {
  api: StepwiseApi;
  onOpen: (id: string) => void;
}

/** The saved workflows: open, new, duplicate, rename, delete, and import a JSON file (pick or drop). */
export function WorkflowList({ api, onOpen }: WorkflowListProps) {
  const [workflows, setWorkflows] = useState<WorkflowSummary[]>();
  const [error, setError] = useState<string>();
  const [newId, setNewId] = useState('');
  const [renaming, setRenaming] = useState<{ id: string; to: string }>();
  const [deleting, setDeleting] = useState<string>();
  const [dropping, setDropping] = useState(false);

  const reload = useCallback(
    () => api.listWorkflows().then(setWorkflows, (reason: unknown) => setError(errorText(reason))),
    [api],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const attempt = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
    } catch (reason) {
      setError(errorText(reason));
    }
    await reload();
  };

  const create = (document: WorkflowDocument) =>
    attempt(async () => {
      const saved = await api.createWorkflow(document);
      onOpen(saved.document.id);
    });

  const onNew = (event: FormEvent) => {
    event.preventDefault();
    const id = newId.trim();
    if (id === '') return;
    void create({
      format: DOCUMENT_FORMAT,
      version: DOCUMENT_VERSION,
      id,
      name: id,
      description: '',
      inputs: {},
      steps: [],
      outputs: {},
    });
  };

  const duplicate = (id: string) =>
    attempt(async () => {
      const { document } = await api.getWorkflow(id);
      const copy = copyId(id, workflows?.map((summary) => summary.id) ?? []);
      await api.createWorkflow({ ...document, id: copy, name: `${document.name ?? id} (copy)` });
    });

  const rename = (event: FormEvent) => {
    event.preventDefault();
    if (renaming === undefined) return;
    const { id, to } = renaming;
    setRenaming(undefined);
    void attempt(async () => api.renameWorkflow(id, to.trim(), (await api.getWorkflow(id)).etag));
  };

  const remove = (id: string) => {
    setDeleting(undefined);
    void attempt(async () => api.deleteWorkflow(id, (await api.getWorkflow(id)).etag));
  };

  const importFile = async (file: File | undefined) => {
    if (file === undefined) return;
    const document = readDocumentText(await file.text());
    if (typeof document === 'string') setError(`${file.name}: ${document}`);
    else await create(document);
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDropping(false);
    void importFile(event.dataTransfer.files[0]);
  };

  return (
    <main className="sw-app-list">
      <h1>Workflows</h1>
      {error && (
        <p className="sw-app-error" role="alert">
          {error}
        </p>
      )}
      {workflows === undefined ? (
        <p>Loading…</p>
      ) : workflows.length === 0 ? (
        <p>No saved workflows yet: make a new one or import a file.</p>
      ) : (
        <table aria-label="Saved workflows">
          <thead>
            <tr>
              <th>Workflow</th>
              <th>Steps</th>
              <th>Saved</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {workflows.map((summary) => (
              <tr key={summary.id} data-workflow={summary.id}>
                <td>
                  {renaming?.id === summary.id ? (
                    <form onSubmit={rename}>
                      <input
                        aria-label="New id"
                        value={renaming.to}
                        onChange={(event) => setRenaming({ id: summary.id, to: event.target.value })}
                      />
                      <button type="submit">Rename</button>
                      <button type="button" onClick={() => setRenaming(undefined)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <button type="button" className="sw-link" onClick={() => onOpen(summary.id)}>
                      {summary.name} <code>{summary.id}</code>
                    </button>
                  )}
                  {summary.description && <div className="sw-help">{summary.description}</div>}
                </td>
                <td>{summary.steps}</td>
                <td>{new Date(summary.updatedAt).toLocaleString()}</td>
                <td className="sw-app-actions">
                  <button type="button" onClick={() => void duplicate(summary.id)}>
                    Duplicate
                  </button>
                  <button type="button" onClick={() => setRenaming({ id: summary.id, to: summary.id })}>
                    Rename…
                  </button>
                  {deleting === summary.id ? (
                    <button type="button" onClick={() => remove(summary.id)}>
                      Really delete
                    </button>
                  ) : (
                    <button type="button" onClick={() => setDeleting(summary.id)}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={onNew}>
        <input
          aria-label="New workflow id"
          placeholder="new-workflow-id"
          value={newId}
          onChange={(event) => setNewId(event.target.value)}
        />
        <button type="submit">New workflow</button>
      </form>
      <section
        className={`sw-app-drop${dropping ? ' sw-active' : ''}`}
        aria-label="Import"
        onDragOver={(event) => {
          event.preventDefault();
          setDropping(true);
        }}
        onDragLeave={() => setDropping(false)}
        onDrop={onDrop}
      >
        Import a workflow: drop its JSON file here, or{' '}
        <input
          type="file"
          accept=".json,application/json"
          aria-label="Import a workflow file"
          onChange={(event) => void importFile(event.target.files?.[0])}
        />
      </section>
    </main>
  );
}
