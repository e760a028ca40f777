import { type MouseEvent, useCallback, useEffect, useState } from 'react';
import type { DownloadFormat, RefInfo, StepwiseApi } from '../api/types.js';
import { DataPreview } from '../components/panels/DataPreview.js';
import type { RunView } from '../run/run-view.js';
import { downloadBlob } from './document-file.js';
import { errorText } from './error-text.js';

/** The step whose output to show, in the run on the canvas. */
export interface StepPreviewProps {
  api: StepwiseApi;
  run: RunView | undefined;
  stepId: string;
  /** Called with the output's row count once known (the info, or a page's total). */
  onRows?: ((ref: string, rows: number) => void) | undefined;
}

/** A step's output in the shown run, paged from the server; a sentence when it has none. */
export function StepPreview({ api, run, stepId, onRows }: StepPreviewProps) {
  const ref = run?.steps[stepId]?.output;
  const [info, setInfo] = useState<RefInfo>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setInfo(undefined);
    setError(undefined);
    if (ref !== undefined) api.refInfo(ref).then(setInfo, (reason: unknown) => setError(errorText(reason)));
  }, [api, ref]);
  // a lazy output's rows are counted when its first page runs its query: the node shows the count
  const loadPage = useCallback(
    (offset: number, limit: number) =>
      api.dataPage(ref as string, offset, limit).then((page) => {
        if (page.total !== undefined) onRows?.(ref as string, page.total);
        return page;
      }),
    [api, ref, onRows],
  );
  if (ref === undefined) return <p className="sw-panel sw-help">Step "{stepId}" has no output in the run shown.</p>;
  if (error) return <p className="sw-panel sw-warning">{error}</p>;
  return (
    <div className="sw-panel">
      <DownloadLink api={api} refId={ref} format="csv" label="Download CSV" onError={setError} /> ·{' '}
      <DownloadLink api={api} refId={ref} format="json" label="JSON" onError={setError} />
      <DataPreview key={ref} loadPage={loadPage} info={info} />
    </div>
  );
}

/**
 * A download of a step's output: fetched through the API (so with the server's token, which a plain
 * link would not send), then saved under the server's file name `<ref>.<format>`.
 */
function DownloadLink(props: {
  api: StepwiseApi;
  refId: string;
  format: DownloadFormat;
  label: string;
  onError: (message: string) => void;
}) {
  const { api, refId, format, label, onError } = props;
  const name = `${refId}.${format}`;
  const save = (event: MouseEvent<HTMLAnchorElement>) => {
    event.preventDefault();
    api.download(refId, format).then(
      (blob) => downloadBlob(name, blob),
      (reason: unknown) => onError(errorText(reason)),
    );
  };
  return (
    <a href={api.downloadUrl(refId, format)} download={name} onClick={save}>
      {label}
    </a>
  );
}
