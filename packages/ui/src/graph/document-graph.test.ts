import { parseWorkflow, stringifyWorkflow, type WorkflowDocument } from '@stepwise/core/model';
import { describe, expect, it } from 'vitest';
import refsText from '../../../core/src/document/fixtures/refs.workflow.json?raw';
import salesText from '../../../core/src/document/fixtures/sales.workflow.json?raw';
import { chain, documentOf, testIndex, testRegistry } from '../test-kit/catalog.js';
import { graphOf } from './document-graph.js';
import { autoLayout, nodeSize, positionsOf } from './layout.js';

const catalog = testIndex();
const registry = testRegistry();
const sales = JSON.parse(salesText) as WorkflowDocument;

describe('graphOf', () => {
  it('draws one node per step and an edge per step reference, the implicit previous-step input included', () => {
    const graph = graphOf(sales, catalog);
    expect(graph.nodes.map((node) => node.id)).toEqual(['load', 'clean', 'score', 'joined']);
    expect(graph.edges.map(({ source, target, input, implicit }) => [source, target, input, implicit])).toEqual([
      ['load', 'clean', 'input', true],
      ['clean', 'score', 'input', true],
      ['score', 'joined', 'input', false],
    ]);
  });

  it('gives each node one port per declared input with its data type, and keeps workflow-input references', () => {
    const joined = graphOf(sales, catalog).nodes[3];
    expect(joined?.ports).toEqual([
      { name: 'input', type: 'JSON' },
      { name: 'right', type: 'JSON' },
    ]);
    expect(joined?.inputs.right).toEqual({ input: 'customers' });
    expect(graphOf(sales, catalog).nodes[0]?.ports).toEqual([]);
  });

  it('draws no edge for refs, workflow inputs or steps that do not exist', () => {
    const refs = JSON.parse(refsText) as WorkflowDocument;
    expect(graphOf(refs, catalog).edges.map((edge) => edge.id)).toEqual(['b:right']);
    const broken = documentOf([{ id: 'a', type: 'clean_nulls', config: {}, inputs: { input: { step: 'gone' } } }]);
    expect(graphOf(broken, catalog).edges).toEqual([]);
  });

  it('gives a step of an unknown type a primary input so its edge stays visible', () => {
    const doc = documentOf([
      { id: 'load', type: 'read_rows', config: { path: 'x' } },
      { id: 'mystery', type: 'not_in_catalog', config: {} },
    ]);
    const graph = graphOf(doc, catalog);
    expect(graph.nodes[1]?.ports).toEqual([{ name: 'input', type: '?' }]);
    expect(graph.edges.map((edge) => edge.id)).toEqual(['mystery:input']);
  });

  it('leaves the document byte-stable: graph, then document, serializes to the same text', () => {
    for (const text of [salesText, refsText]) {
      const doc = JSON.parse(text) as WorkflowDocument;
      graphOf(doc, catalog);
      expect(stringifyWorkflow(doc)).toBe(text);
      expect(stringifyWorkflow(parseWorkflow(stringifyWorkflow(doc), { registry }))).toBe(text);
    }
  });
});

describe('positions', () => {
  it('lays out a document without positions left to right, every node in its own place', () => {
    const doc = chain(30);
    const positions = positionsOf(doc, graphOf(doc, catalog));
    expect(positions.size).toBe(30);
    const xs = doc.steps.map((step) => positions.get(step.id)?.x ?? Number.NaN);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(new Set(xs).size).toBe(30);
  });

  it('keeps saved positions and places a step without one right of the step it reads', () => {
    const doc = { ...chain(3), ui: { positions: { load: { x: 0, y: 0 }, clean_1: { x: 300, y: 50 } } } };
    const positions = positionsOf(doc, graphOf(doc, catalog));
    expect(positions.get('load')).toEqual({ x: 0, y: 0 });
    expect(positions.get('clean_1')).toEqual({ x: 300, y: 50 });
    expect(positions.get('clean_2')).toEqual({ x: 600, y: 50 });
  });

  it('places two steps without positions that read the same step one under the other, not on top', () => {
    // found in Chromium: a step added after the selection landed exactly on its sibling
    const doc = {
      ...documentOf([
        { id: 'load', type: 'read_rows', config: { path: 'x' } },
        { id: 'a', type: 'clean_nulls', config: {} },
        { id: 'b', type: 'clean_nulls', config: {}, inputs: { input: { step: 'load' } } },
      ]),
      ui: { positions: { load: { x: 0, y: 0 } } },
    };
    const graph = graphOf(doc, catalog);
    const positions = positionsOf(doc, graph);
    const a = positions.get('a') as { x: number; y: number };
    const b = positions.get('b') as { x: number; y: number };
    expect(a).toEqual({ x: 300, y: 0 });
    expect(b.x).toBe(300);
    expect(b.y).toBeGreaterThanOrEqual(a.y + nodeSize(graph.nodes[1] as never).height);
  });

  it('lays out joins on side sources with every connection left to right and no two nodes overlapping', () => {
    const steps: WorkflowDocument['steps'] = [{ id: 's0', type: 'read_rows', config: { path: 'x' } }];
    let main = 's0';
    for (let i = 1; i < 60; i++) {
      if (i % 5 === 0) {
        steps.push({ id: `side${i}`, type: 'read_rows', config: { path: 'y' } });
        steps.push({
          id: `j${i}`,
          type: 'join',
          config: { on: 'k' },
          inputs: { input: { step: main }, right: { step: `side${i}` } },
        });
        main = `j${i}`;
      } else {
        steps.push({ id: `c${i}`, type: 'clean_nulls', config: {}, inputs: { input: { step: main } } });
        main = `c${i}`;
      }
    }
    const g = graphOf(documentOf(steps), catalog);
    const positions = autoLayout(g);
    const box = (id: string) => {
      const node = g.nodes.find((n) => n.id === id) as (typeof g.nodes)[number];
      const at = positions.get(id) as { x: number; y: number };
      return { ...at, ...nodeSize(node) };
    };
    for (const edge of g.edges) expect(box(edge.source).x, edge.id).toBeLessThan(box(edge.target).x);
    const boxes = g.nodes.map((node) => box(node.id));
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
    }
    expect(box('side5').x).toBe(box('j5').x - 300);
  });

  it('puts a join between its two sources in the layout', () => {
    const doc = documentOf([
      { id: 'a', type: 'read_rows', config: { path: 'a' } },
      { id: 'b', type: 'read_rows', config: { path: 'b' } },
      { id: 'j', type: 'join', config: { on: 'id' }, inputs: { input: { step: 'a' }, right: { step: 'b' } } },
    ]);
    const positions = autoLayout(graphOf(doc, catalog));
    const [a, b, j] = ['a', 'b', 'j'].map((id) => positions.get(id) ?? { x: 0, y: 0 });
    expect(j?.x).toBeGreaterThan(Math.max(a?.x ?? 0, b?.x ?? 0));
    expect(a?.y).not.toBe(b?.y);
  });
});
