import type { WorkflowDocument } from '@stepwise/core/model';
import {
  applyNodeChanges,
  Background,
  Controls,
  type Edge,
  type EdgeChange,
  type Connection as FlowConnection,
  type IsValidConnection,
  MiniMap,
  type NodeChange,
  type OnDelete,
  type OnNodeDrag,
  ReactFlow,
  type ReactFlowInstance,
  ReactFlowProvider,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { type DragEvent, useCallback, useMemo, useRef, useState } from 'react';
import type { CatalogIndex } from '../../graph/catalog.js';
import { checkConnection } from '../../graph/connection.js';
import { graphOf } from '../../graph/document-graph.js';
import { edgeAt } from '../../graph/edge-hit.js';
import type { EditorAction } from '../../graph/editor-state.js';
import type { Edit } from '../../graph/edits.js';
import type { EditorIssue } from '../../graph/issues.js';
import { positionsOf } from '../../graph/layout.js';
import { dependencies } from '../../graph/order.js';
import { savedPositions } from '../../graph/positions.js';
import { freeId, stepIds } from '../../graph/step-ids.js';
import type { RunView } from '../../run/run-view.js';
import { STEP_MIME } from '../palette/Palette.js';
import { type FlowNodeSources, syncNodes } from './flow-nodes.js';
import { type StepFlowNode, StepNode } from './StepNode.js';

// outside any component: a new object per render would remount every node (React Flow's advice)
const nodeTypes = { step: StepNode };
const proOptions = { hideAttribution: true };
const NO_NODES: StepFlowNode[] = [];
const NO_EDGES: Edge[] = [];
const paneIsSized = (state: { width: number; height: number }) => state.width > 0 && state.height > 0;

/** What the canvas shows and where its edits go. */
export interface CanvasProps {
  document: WorkflowDocument;
  catalog: CatalogIndex;
  selection: ReadonlySet<string>;
  /** The run being shown (live or from the history). */
  run?: RunView | undefined;
  /** The steps expected to run pushed down to DuckDB. */
  pushedDown?: ReadonlySet<string> | undefined;
  issues?: ReadonlyMap<string, readonly EditorIssue[]> | undefined;
  dispatch: (action: EditorAction) => void;
  /** The React Flow instance, once ready (for zoom to fit). */
  onInit?: (instance: ReactFlowInstance<StepFlowNode, Edge>) => void;
}

/** The workflow as a graph: drag, connect (refused with the reason), drop steps, delete, select. */
export function Canvas(props: CanvasProps) {
  return (
    <ReactFlowProvider>
      <Flow {...props} />
    </ReactFlowProvider>
  );
}

function Flow({ document, catalog, selection, run, pushedDown, issues, dispatch, onInit }: CanvasProps) {
  const { steps, ui } = document;
  const graph = useMemo(() => graphOf({ steps }, catalog), [steps, catalog]);
  const positions = useMemo(() => positionsOf({ ui }, graph), [ui, graph]);
  const sources = useMemo<FlowNodeSources>(
    () => ({ graph, positions, run, pushedDown, issues, selection }),
    [graph, positions, run, pushedDown, issues, selection],
  );
  // nodes follow the document during render (no frame with edges to nodes not yet there), and
  // React Flow's own changes (drag, measure, select) in between
  const [flow, setFlow] = useState(() => ({ sources, nodes: syncNodes([], sources) }));
  let nodes = flow.nodes;
  if (flow.sources !== sources) {
    nodes = syncNodes(flow.nodes, sources);
    setFlow({ sources, nodes });
  }
  // connections are selected on the canvas only (to delete them); steps' selection is the editor's
  const [selectedEdges, setSelectedEdges] = useState<ReadonlySet<string>>(new Set());
  const edges = useMemo(
    () => graph.edges.map((edge) => toFlowEdge(edge, selectedEdges.has(edge.id))),
    [graph, selectedEdges],
  );
  const onEdgesChange = useCallback((changes: EdgeChange<Edge>[]) => {
    const selects = changes.filter((change) => change.type === 'select');
    if (selects.length === 0) return;
    setSelectedEdges((current) => {
      const next = new Set(current);
      for (const change of selects) change.selected ? next.add(change.id) : next.delete(change.id);
      return next;
    });
  }, []);
  const reads = useMemo(() => dependencies({ steps } as WorkflowDocument, catalog), [steps, catalog]);
  const [hint, setHint] = useState<string>();
  // open on the start of a large workflow at a readable size; zoom to fit (key 1) shows all of it
  const [fitViewOptions] = useState(() => ({ nodes: graph.nodes.slice(0, 3).map(({ id }) => ({ id })), maxZoom: 1 }));
  const { screenToFlowPosition, getZoom } = useReactFlow();

  // the latest values for callbacks that stay the same object across renders
  const latest = useRef({ document, selection, positions, graph, reads });
  latest.current = { document, selection, positions, graph, reads };

  const onNodesChange = useCallback(
    (changes: NodeChange<StepFlowNode>[]) => {
      setFlow((current) => ({ ...current, nodes: applyNodeChanges(changes, current.nodes) }));
      const selects = changes.filter((change) => change.type === 'select');
      if (selects.length === 0) return;
      const next = new Set(latest.current.selection);
      for (const change of selects) change.selected ? next.add(change.id) : next.delete(change.id);
      dispatch({ type: 'select', ids: [...next] });
    },
    [dispatch],
  );

  const onNodeDragStop: OnNodeDrag<StepFlowNode> = useCallback(
    (_event, _node, dragged) => {
      const { document: doc, positions: shown } = latest.current;
      const moved: Record<string, { x: number; y: number }> = {};
      // the first move in a laid-out document saves every position, so the layout stays as seen
      const saved = savedPositions(doc);
      for (const [id, position] of shown) if (!saved.has(id)) moved[id] = position;
      for (const node of dragged) moved[node.id] = node.position;
      dispatch({ type: 'edit', edit: { kind: 'move', positions: moved } });
    },
    [dispatch],
  );

  const onDelete: OnDelete<StepFlowNode, Edge> = useCallback(
    ({ nodes: removed, edges: cut }) => {
      const ids = new Set(removed.map((node) => node.id));
      const edits: Edit[] = ids.size > 0 ? [{ kind: 'remove', ids: [...ids] }] : [];
      for (const edge of cut) {
        if (!ids.has(edge.target))
          edits.push({ kind: 'disconnect', target: edge.target, input: edge.targetHandle ?? 'input' });
      }
      if (edits.length > 0) dispatch({ type: 'edit', edit: { kind: 'batch', edits } });
    },
    [dispatch],
  );

  const isValidConnection: IsValidConnection<Edge> = useCallback(
    (connection) => {
      const { document: doc, reads: known } = latest.current;
      const check = checkConnection(doc, catalog, toConnection(connection), known);
      setHint(check.ok ? undefined : check.reason);
      return check.ok;
    },
    [catalog],
  );

  // a refusal's reason is for the drag: it goes when a drag starts and once the mouse is up
  // (connected, refused or dropped anywhere)
  const clearHint = useCallback(() => setHint(undefined), []);

  const onConnect = useCallback(
    (connection: FlowConnection) =>
      dispatch({ type: 'edit', edit: { kind: 'connect', connection: toConnection(connection) } }),
    [dispatch],
  );

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(STEP_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const info = catalog.bySlug.get(event.dataTransfer.getData(STEP_MIME));
      if (info === undefined) return;
      event.preventDefault();
      const { document: doc, graph: shown, reads: known, positions: drawn } = latest.current;
      const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const id = freeId(info.slug, stepIds(doc));
      const step = { id, type: info.slug, config: {} };
      const edge = edgeAt(position, shown, latest.current.positions, 12 / getZoom());
      const fits =
        edge !== undefined &&
        info.inputType !== null &&
        checkConnection(
          { ...doc, steps: [...doc.steps, step] },
          catalog,
          { source: edge.source, target: id, input: 'input' },
          known,
        ).ok &&
        checkConnection({ ...doc, steps: [...doc.steps, step] }, catalog, {
          source: id,
          target: edge.target,
          input: edge.input,
        }).ok;
      const edit: Edit =
        edge && fits
          ? {
              kind: 'insertOnEdge',
              step,
              edge: { source: edge.source, target: edge.target, input: edge.input },
              position,
            }
          : { kind: 'addSteps', steps: [step], positions: { [id]: position } };
      // as for the first move: in a laid-out document the drop saves every position too, so the
      // steps stay where they are drawn (one undo step)
      const saved = savedPositions(doc);
      const unsaved = Object.fromEntries([...drawn].filter(([shownId]) => !saved.has(shownId)));
      const placed: Edit =
        Object.keys(unsaved).length === 0
          ? edit
          : { kind: 'batch', edits: [{ kind: 'move', positions: unsaved }, edit] };
      dispatch({ type: 'edit', edit: placed, select: [id] });
    },
    [catalog, dispatch, screenToFlowPosition, getZoom],
  );

  // Until the pane has a size React Flow cannot tell which nodes are in view and would draw all of
  // them once (a thousand nodes made and thrown away); so the first frame has none.
  const sized = useStore(paneIsSized);
  return (
    <div className="sw-canvas" role="application" aria-label="Workflow canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<StepFlowNode, Edge>
        nodes={sized ? nodes : NO_NODES}
        edges={sized ? edges : NO_EDGES}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onDelete={onDelete}
        onConnect={onConnect}
        onConnectStart={clearHint}
        onConnectEnd={clearHint}
        isValidConnection={isValidConnection}
        onlyRenderVisibleElements={nodes.length > 100}
        minZoom={0.05}
        fitView
        fitViewOptions={fitViewOptions}
        deleteKeyCode={['Delete', 'Backspace']}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        proOptions={proOptions}
        {...(onInit ? { onInit } : {})}
      >
        <Background />
        <Controls />
        <MiniMap pannable zoomable />
      </ReactFlow>
      {hint && (
        <div className="sw-hint" role="status">
          {hint}
        </div>
      )}
    </div>
  );
}

function toConnection(connection: FlowConnection | Edge): { source: string; target: string; input: string } {
  return { source: connection.source, target: connection.target, input: connection.targetHandle ?? 'input' };
}

function toFlowEdge(
  edge: { id: string; source: string; target: string; input: string; implicit: boolean },
  selected: boolean,
): Edge {
  return {
    selected,
    id: edge.id,
    source: edge.source,
    target: edge.target,
    sourceHandle: 'output',
    targetHandle: edge.input,
    className: edge.implicit ? 'sw-edge-implicit' : 'sw-edge',
  };
}
