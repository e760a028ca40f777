import { graphlib, layout } from '@dagrejs/dagre';
import type { JsonObject } from '@stepwise/core/model';
import type { DocumentGraph, StepNodeModel } from './document-graph.js';
import { savedPositions, type XY } from './positions.js';

/** The size the canvas gives a step node, used to lay nodes out before they are measured. */
export function nodeSize(node: StepNodeModel): { width: number; height: number } {
  return { width: 220, height: 64 + 22 * Math.max(1, node.ports.length) };
}

const GAP_X = 80;

/** Positions for every node by a layered left-to-right layout (dagre), inputs on the left. */
export function autoLayout(graph: DocumentGraph): Map<string, XY> {
  const g = new graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 30, ranksep: GAP_X });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, nodeSize(node));
  for (const edge of graph.edges) g.setEdge(edge.source, edge.target);
  layout(g);
  const positions = new Map<string, XY>();
  for (const node of graph.nodes) {
    const placed = g.node(node.id);
    const { width, height } = nodeSize(node);
    positions.set(node.id, { x: Math.round(placed.x - width / 2), y: Math.round(placed.y - height / 2) });
  }
  return positions;
}

/**
 * Where every node goes: its saved position (`ui.positions`); for a document without any, the
 * auto-layout; a node without one in a document that has some goes right of the step it reads
 * (or right of everything), so a hand-made layout is never redone.
 */
export function positionsOf(document: { readonly ui?: JsonObject | undefined }, graph: DocumentGraph): Map<string, XY> {
  const saved = savedPositions(document);
  const missing = graph.nodes.filter((node) => !saved.has(node.id));
  if (missing.length === 0) return saved;
  if (missing.length === graph.nodes.length) return autoLayout(graph);
  const positions = new Map(saved);
  let right = Math.max(...[...saved.values()].map((p) => p.x)) + 220 + GAP_X;
  for (const node of missing) {
    const source = graph.edges.find((edge) => edge.target === node.id && positions.has(edge.source))?.source;
    const from = source === undefined ? undefined : positions.get(source);
    if (from) positions.set(node.id, { x: from.x + 220 + GAP_X, y: from.y });
    else {
      positions.set(node.id, { x: right, y: 0 });
      right += 220 + GAP_X;
    }
  }
  return positions;
}
