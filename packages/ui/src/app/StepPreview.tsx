import { useCallback, useEffect, useState } from 'react';
import type { RefInfo, StepwiseApi } from '../api/types.js';
import { DataPreview } from '../components/panels/DataPreview.js';
import type { RunView } from '../run/run-view.js';
import { errorText } from './error-text.js';

/** The step whose output to show, in the run on the canvas. */
export interface StepPreviewProps {
  api: StepwiseApi;
  run: RunView | undefined;
  stepId: string;
}

/** A step's output in the shown run, paged from the server; a sentence when it has none. */
export function StepPreview({ api, run, stepId }: StepPreviewProps) {
  const ref = run?.steps[stepId]?.output;
  const [info, setInfo] = useState<RefInfo>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setInfo(undefined);
    setError(undefined);
    if (ref !== undefined) api.refInfo(ref).then(setInfo, (reason: unknown) => setError(errorText(reason)));
  }, [api, ref]);
  const loadPage = useCallback(
    (offset: number, limit: number) => api.dataPage(ref as string, offset, limit),
    [api, ref],
  );
  if (ref === undefined) return <p className="sw-panel sw-help">Step "{stepId}" has no output in the run shown.</p>;
  if (error) return <p className="sw-panel sw-warning">{error}</p>;
  return (
    <div className="sw-panel">
      <a href={api.downloadUrl(ref, 'csv')}>Download CSV</a> · <a href={api.downloadUrl(ref, 'json')}>JSON</a>
      <DataPreview key={ref} loadPage={loadPage} info={info} />
    </div>
  );
}
