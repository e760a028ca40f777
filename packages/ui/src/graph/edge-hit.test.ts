import { describe, expect, it } from 'vitest';
import { documentOf, testIndex } from '../test-kit/catalog.js';
import { graphOf } from './document-graph.js';
import { edgeAt, edgePoints } from './edge-hit.js';
import { NODE_WIDTH, portY } from './layout.js';

const catalog = testIndex();
const doc = documentOf([
  { id: 'a', type: 'read_rows', config: { path: 'a' } },
  { id: 'b', type: 'read_rows', config: { path: 'b' } },
  { id: 'j', type: 'join', config: { on: 'k' }, inputs: { input: { step: 'a' }, right: { step: 'b' } } },
]);
const graph = graphOf(doc, catalog);
const positions = new Map([
  ['a', { x: 0, y: 0 }],
  ['b', { x: 0, y: 300 }],
  ['j', { x: 600, y: 100 }],
]);

describe('edgeAt', () => {
  it("runs each connection from the source's output to the target's input row", () => {
    const right = graph.edges.find((edge) => edge.input === 'right');
    const points = edgePoints(right as (typeof graph.edges)[number], graph, positions);
    expect(points[0]).toEqual({ x: NODE_WIDTH, y: 300 + portY(0) });
    expect(points.at(-1)).toEqual({ x: 600, y: 100 + portY(1) });
  });

  it('finds the connection under a drop point, the nearer of two, and none away from both', () => {
    const mid = (edge: string) => {
      const points = edgePoints(
        graph.edges.find((e) => e.id === edge) as (typeof graph.edges)[number],
        graph,
        positions,
      );
      return points[12] as { x: number; y: number };
    };
    expect(edgeAt(mid('j:input'), graph, positions, 10)?.id).toBe('j:input');
    const near = mid('j:right');
    expect(edgeAt({ x: near.x, y: near.y + 6 }, graph, positions, 10)?.id).toBe('j:right');
    expect(edgeAt({ x: 400, y: 700 }, graph, positions, 10)).toBeUndefined();
  });
});
