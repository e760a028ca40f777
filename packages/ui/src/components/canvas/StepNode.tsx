import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { StepNodeModel } from '../../graph/document-graph.js';
import { nodeSize, portY } from '../../graph/layout.js';
import type { StepView } from '../../run/run-view.js';
import { formatDuration, formatRows } from '../format.js';

/** What a step node draws: the step, its run status, and how many issues it has. */
export interface StepNodeData extends Record<string, unknown> {
  model: StepNodeModel;
  view: StepView | undefined;
  issues: number;
  /** Expected to run pushed down to DuckDB, as one query with the steps around it. */
  pushedDown: boolean;
}

/** A canvas node of type `step`. */
export type StepFlowNode = Node<StepNodeData, 'step'>;

/**
 * One step on the canvas: its id and type (marked "⇣ DuckDB" when it is expected to run pushed down), one labelled handle per input, one output, and after or
 * during a run its status, progress, duration and rows. Memoized: it renders again only when its
 * own data changes, never because another node moved.
 */
export const StepNode = memo(function StepNode({ data, selected }: NodeProps<StepFlowNode>) {
  const { model, view, issues, pushedDown } = data;
  const status = view?.status;
  const outputType = model.info?.outputType ?? '?';
  return (
    <div
      className={`sw-node${selected ? ' sw-selected' : ''}${status ? ` sw-status-${status}` : ''}`}
      data-step={model.id}
      style={nodeSize(model)}
    >
      <div className="sw-node-head">
        <span className="sw-node-id">{model.id}</span>
        {issues > 0 && (
          <span className="sw-node-issues" title={`${issues} issue${issues === 1 ? '' : 's'}`}>
            {issues}
          </span>
        )}
        {status && (
          <span className={`sw-badge sw-badge-${status}`}>
            {view?.cached ? 'cached' : view?.reusedFrom ? 'reused' : status}
          </span>
        )}
      </div>
      <div className="sw-node-type">
        {model.info?.name ?? model.step.type}
        {pushedDown && status !== 'failed' && (
          <span className="sw-node-pushdown" title="Runs pushed down to DuckDB, as one query with the steps around it">
            {' · '}⇣ DuckDB
          </span>
        )}
      </div>
      <RunLine view={view} />
      {model.ports.map((port, index) => (
        <div key={port.name} className="sw-port" style={{ top: portY(index) - 11 }}>
          <Handle type="target" position={Position.Left} id={port.name} style={{ top: 11 }} />
          <span className="sw-port-label">
            {port.name}: {port.type}
          </span>
        </div>
      ))}
      <div className="sw-port sw-port-out" style={{ top: portY(0) - 11 }}>
        <span className="sw-port-label">{outputType}</span>
        <Handle type="source" position={Position.Right} id="output" style={{ top: 11 }} />
      </div>
    </div>
  );
});

function RunLine({ view }: { view: StepView | undefined }) {
  if (view === undefined) return null;
  const { progress } = view;
  if (view.status === 'running' && progress?.total) {
    const share = Math.min(1, progress.done / progress.total);
    return (
      <div className="sw-progress" title={`${progress.done} / ${progress.total}`}>
        <div style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
    );
  }
  const parts: string[] = [];
  if (view.durationMs !== undefined) parts.push(formatDuration(view.durationMs));
  if (view.rows !== undefined) parts.push(formatRows(view.rows));
  if (view.status === 'failed' && view.error) parts.push(view.error.message.split('\n')[0] ?? '');
  if (view.status === 'skipped' && view.skipped) parts.push(`needs ${view.skipped.dependency}`);
  return parts.length > 0 ? (
    <div className="sw-node-run" title={view.error?.message}>
      {parts.join(' · ')}
    </div>
  ) : null;
}
