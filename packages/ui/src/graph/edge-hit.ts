import type { DocumentGraph, StepEdgeModel } from './document-graph.js';
import { NODE_WIDTH, portY } from './layout.js';
import type { XY } from './positions.js';

/**
 * Points along a connection as the canvas draws it: a bezier from the source's output (right side,
 * first row) to the target's input row (left side), with React Flow's default curvature.
 */
export function edgePoints(edge: StepEdgeModel, graph: DocumentGraph, positions: ReadonlyMap<string, XY>): XY[] {
  const from = positions.get(edge.source);
  const to = positions.get(edge.target);
  const target = graph.nodes.find((node) => node.id === edge.target);
  if (!from || !to || !target) return [];
  const port = Math.max(
    0,
    target.ports.findIndex((candidate) => candidate.name === edge.input),
  );
  const start = { x: from.x + NODE_WIDTH, y: from.y + portY(0) };
  const end = { x: to.x, y: to.y + portY(port) };
  const distance = end.x - start.x;
  const offset = distance >= 0 ? distance / 2 : 0.25 * 25 * Math.sqrt(-distance);
  const c1 = { x: start.x + offset, y: start.y };
  const c2 = { x: end.x - offset, y: end.y };
  const points: XY[] = [];
  for (let i = 0; i <= 24; i++) {
    const t = i / 24;
    const u = 1 - t;
    points.push({
      x: u * u * u * start.x + 3 * u * u * t * c1.x + 3 * u * t * t * c2.x + t * t * t * end.x,
      y: u * u * u * start.y + 3 * u * u * t * c1.y + 3 * u * t * t * c2.y + t * t * t * end.y,
    });
  }
  return points;
}

function segmentDistance(p: XY, a: XY, b: XY): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = dx * dx + dy * dy;
  const t = length === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** The connection nearest to `point` (canvas coordinates) within `tolerance`, for a step dropped onto it. */
export function edgeAt(
  point: XY,
  graph: DocumentGraph,
  positions: ReadonlyMap<string, XY>,
  tolerance: number,
): StepEdgeModel | undefined {
  let best: StepEdgeModel | undefined;
  let bestDistance = tolerance;
  for (const edge of graph.edges) {
    const points = edgePoints(edge, graph, positions);
    for (let i = 1; i < points.length; i++) {
      const distance = segmentDistance(point, points[i - 1] as XY, points[i] as XY);
      if (distance <= bestDistance) {
        best = edge;
        bestDistance = distance;
      }
    }
  }
  return best;
}
