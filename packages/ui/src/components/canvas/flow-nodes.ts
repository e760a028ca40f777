import type { DocumentGraph, StepNodeModel } from '../../graph/document-graph.js';
import type { EditorIssue } from '../../graph/issues.js';
import type { XY } from '../../graph/positions.js';
import type { RunView } from '../../run/run-view.js';
import type { StepFlowNode } from './StepNode.js';

/** What the canvas nodes are made of. */
export interface FlowNodeSources {
  graph: DocumentGraph;
  positions: ReadonlyMap<string, XY>;
  run: RunView | undefined;
  /** The steps expected to run pushed down to DuckDB. */
  pushedDown?: ReadonlySet<string> | undefined;
  issues: ReadonlyMap<string, readonly EditorIssue[]> | undefined;
  selection: ReadonlySet<string>;
}

/**
 * The React Flow nodes for `sources`, made from `current` (the nodes React Flow last saw): a node
 * whose step, type, run state, pushdown mark, issues, selection and position are unchanged stays the same object,
 * so a config edit or a run event re-renders one node, not a thousand; a changed node keeps the size
 * React Flow measured, and a node being dragged keeps its place until the drag ends.
 */
export function syncNodes(current: readonly StepFlowNode[], sources: FlowNodeSources): StepFlowNode[] {
  const { graph, positions, run, pushedDown, issues, selection } = sources;
  const byId = new Map(current.map((node) => [node.id, node]));
  return graph.nodes.map((fresh) => {
    const old = byId.get(fresh.id);
    const model = old && sameModel(old.data.model, fresh) ? old.data.model : fresh;
    const saved = positions.get(fresh.id) ?? { x: 0, y: 0 };
    const position = old?.dragging ? old.position : saved;
    const view = run?.steps[fresh.id];
    const count = issues?.get(fresh.id)?.length ?? 0;
    const selected = selection.has(fresh.id);
    const pushed = pushedDown?.has(fresh.id) === true;
    if (
      old &&
      old.data.model === model &&
      old.data.view === view &&
      old.data.issues === count &&
      old.data.pushedDown === pushed &&
      old.selected === selected &&
      old.position.x === position.x &&
      old.position.y === position.y
    ) {
      return old;
    }
    const node: StepFlowNode = {
      id: fresh.id,
      type: 'step',
      position,
      selected,
      data: { model, view, issues: count, pushedDown: pushed },
    };
    if (old?.measured) node.measured = old.measured;
    if (old?.dragging) node.dragging = true;
    return node;
  });
}

// What a node draws of its model: the step itself, its type and ports (from the step and catalog).
function sameModel(a: StepNodeModel, b: StepNodeModel): boolean {
  return a.step === b.step && a.info === b.info && a.index === b.index;
}
