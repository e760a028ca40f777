import { useEffect, useState } from 'react';
import type { StepwiseApi } from '../api/types.js';
import { type CatalogIndex, indexCatalog } from '../graph/catalog.js';
import '../components/editor.css';
import './app.css';
import { errorText } from './error-text.js';
import { WorkflowList } from './WorkflowList.js';
import { WorkflowPage } from './WorkflowPage.js';

/** What the app is given: the server's API. */
export interface AppProps {
  api: StepwiseApi;
}

/** The workflow the address names (`#/workflows/<id>`), if any. */
function openedId(): string | undefined {
  const match = /^#\/workflows\/(.+)$/.exec(globalThis.location?.hash ?? '');
  return match ? decodeURIComponent(match[1] as string) : undefined;
}

/**
 * The editor app: the saved workflows, and one opened in the editor. The address keeps which one is
 * open (`#/workflows/<id>`), so a reload comes back to it (and to its run, if one is going).
 */
export function App({ api }: AppProps) {
  const [catalog, setCatalog] = useState<CatalogIndex>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState(openedId);

  useEffect(() => {
    api.catalog().then(
      (loaded) => setCatalog(indexCatalog(loaded)),
      (reason: unknown) => setError(errorText(reason)),
    );
  }, [api]);

  useEffect(() => {
    const onHash = () => setOpen(openedId());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  const go = (id: string | undefined) => {
    globalThis.location.hash = id === undefined ? '' : `#/workflows/${encodeURIComponent(id)}`;
    setOpen(id);
  };

  if (error)
    return (
      <p className="sw-app-error" role="alert">
        The editor could not start: {error}
      </p>
    );
  if (catalog === undefined) return <p className="sw-app-loading">Loading…</p>;
  if (open === undefined) return <WorkflowList api={api} onOpen={go} />;
  return <WorkflowPage key={open} api={api} catalog={catalog} workflowId={open} onClose={() => go(undefined)} />;
}
