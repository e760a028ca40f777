import { stringifyWorkflow, validateDocument, type WorkflowDocument } from '@stepwise/core/model';
import { describe, expect, it } from 'vitest';
import salesText from '../../../core/src/document/fixtures/sales.workflow.json?raw';
import { chain, documentOf, testIndex, testRegistry } from '../test-kit/catalog.js';
import { graphOf } from './document-graph.js';
import { applyEdit, type Edit } from './edits.js';

const catalog = testIndex();
const registry = testRegistry();
const sales = JSON.parse(salesText) as WorkflowDocument;

function edges(document: WorkflowDocument): string[] {
  return graphOf(document, catalog)
    .edges.map((edge) => `${edge.source}->${edge.target}.${edge.input}`)
    .sort();
}

function apply(document: WorkflowDocument, ...list: Edit[]): WorkflowDocument {
  return list.reduce((doc, edit) => applyEdit(doc, edit, catalog), document);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

describe('applyEdit', () => {
  it('never changes the document it is given', () => {
    const frozen = deepFreeze(JSON.parse(salesText) as WorkflowDocument);
    const edits: Edit[] = [
      { kind: 'addSteps', steps: [{ id: 'x', type: 'clean_nulls', config: {} }], after: 'load' },
      { kind: 'remove', ids: ['clean'] },
      { kind: 'move', positions: { load: { x: 5, y: 6 } } },
      { kind: 'connect', connection: { source: 'load', target: 'joined', input: 'right' } },
      { kind: 'disconnect', target: 'joined', input: 'right' },
      { kind: 'setConfig', id: 'clean', config: { threshold: 0.2 } },
      { kind: 'setStrategy', id: 'score', strategy: undefined },
      { kind: 'rename', from: 'load', to: 'read' },
    ];
    for (const edit of edits) applyEdit(frozen, edit, catalog);
    expect(stringifyWorkflow(frozen)).toBe(salesText);
  });

  it('adds a step after the selected one: it reads that step, and the step after it keeps its input', () => {
    const next = apply(chain(3), {
      kind: 'addSteps',
      steps: [{ id: 'new', type: 'clean_nulls', config: {} }],
      after: 'load',
    });
    expect(next.steps.map((step) => step.id)).toEqual(['load', 'new', 'clean_1', 'clean_2']);
    expect(edges(next)).toEqual(['clean_1->clean_2.input', 'load->clean_1.input', 'load->new.input']);
    expect(next.steps[1]?.inputs).toBeUndefined();
    expect(next.steps[2]?.inputs).toEqual({ input: { step: 'load' } });
  });

  it('inserts a step on an edge: source -> new -> target, the target still reading by default', () => {
    const next = apply(chain(3), {
      kind: 'insertOnEdge',
      step: { id: 'mid', type: 'clean_nulls', config: {} },
      edge: { source: 'load', target: 'clean_1', input: 'input' },
      position: { x: 10, y: 20 },
    });
    expect(next.steps.map((step) => step.id)).toEqual(['load', 'mid', 'clean_1', 'clean_2']);
    expect(edges(next)).toEqual(['clean_1->clean_2.input', 'load->mid.input', 'mid->clean_1.input']);
    expect(next.steps.every((step) => step.inputs === undefined)).toBe(true);
    expect(next.ui).toEqual({ positions: { mid: { x: 10, y: 20 } } });
  });

  it('removes a step from a chain and bridges the chain, dropping its references, outputs and position', () => {
    const doc = { ...chain(3), outputs: { out: { step: 'clean_1' } }, ui: { positions: { clean_1: { x: 1, y: 2 } } } };
    const next = apply(doc, { kind: 'remove', ids: ['clean_1'] });
    expect(edges(next)).toEqual(['load->clean_2.input']);
    expect(next.outputs).toEqual({});
    expect(next.ui).toBeUndefined();
    const explicit = apply(sales, { kind: 'remove', ids: ['score'] });
    expect(explicit.steps.find((step) => step.id === 'joined')?.inputs).toEqual({ right: { input: 'customers' } });
  });

  it('connects a later step into an earlier one by moving the reader after it, every other connection kept', () => {
    const doc = documentOf([
      { id: 'a', type: 'read_rows', config: { path: 'a' } },
      { id: 'j', type: 'join', config: { on: 'id' } },
      { id: 'b', type: 'read_rows', config: { path: 'b' } },
      { id: 'c', type: 'clean_nulls', config: {} },
    ]);
    const next = apply(doc, { kind: 'connect', connection: { source: 'b', target: 'j', input: 'right' } });
    expect(next.steps.map((step) => step.id)).toEqual(['a', 'b', 'j', 'c']);
    expect(edges(next)).toEqual(['a->j.input', 'b->c.input', 'b->j.right']);
    expect(validateDocument(next, registry).filter((issue) => issue.code.startsWith('REFERENCE'))).toEqual([]);
  });

  it('disconnects an implicit input by writing `inputs: {}`, which validation reports as missing', () => {
    const next = apply(chain(2), { kind: 'disconnect', target: 'clean_1', input: 'input' });
    expect(next.steps[1]?.inputs).toEqual({});
    expect(edges(next)).toEqual([]);
    expect(validateDocument(next, registry).map((issue) => issue.code)).toEqual(['INPUT_MISSING']);
  });

  it('connecting an implicit step back to its previous step leaves it implicit (no extra bytes)', () => {
    const doc = chain(2);
    expect(apply(doc, { kind: 'connect', connection: { source: 'load', target: 'clean_1', input: 'input' } })).toEqual(
      doc,
    );
  });

  it('renames a step: references, outputs and its position follow', () => {
    const next = apply({ ...sales }, { kind: 'rename', from: 'score', to: 'scored' });
    expect(next.steps.find((step) => step.id === 'joined')?.inputs?.input).toEqual({ step: 'scored' });
    const moved = apply(sales, { kind: 'rename', from: 'load', to: 'read' });
    expect(moved.ui?.positions).toEqual({ read: { x: 0, y: 0 } });
    expect(apply(sales, { kind: 'rename', from: 'joined', to: 'j' }).outputs).toEqual({ result: { step: 'j' } });
    expect(() => apply(sales, { kind: 'rename', from: 'load', to: 'clean' })).toThrow('already a step "clean"');
    expect(() => apply(sales, { kind: 'rename', from: 'load', to: '9bad' })).toThrow('letters, digits');
  });

  it('renames and removes steps of a document that leaves out outputs (as a file may), adding none', () => {
    // found in Chromium: renaming a step of such a file threw in Object.entries(undefined) and blanked the app
    const { outputs: _, ...bare } = JSON.parse(salesText) as WorkflowDocument;
    const renamed = apply(bare as WorkflowDocument, { kind: 'rename', from: 'load', to: 'read' });
    expect(renamed.steps[0]?.id).toBe('read');
    expect('outputs' in renamed).toBe(false);
    const removed = apply(renamed, { kind: 'remove', ids: ['read'] });
    expect(removed.steps.map((step) => step.id)).not.toContain('read');
    expect('outputs' in removed).toBe(false);
  });

  it('sets config and strategy, an empty strategy removing the field', () => {
    const next = apply(
      sales,
      { kind: 'setConfig', id: 'clean', config: { threshold: 0.25 } },
      { kind: 'setStrategy', id: 'score', strategy: {} },
      { kind: 'setStrategy', id: 'load', strategy: { retries: 2 } },
    );
    expect(next.steps[1]?.config).toEqual({ threshold: 0.25 });
    expect(next.steps[2]?.strategy).toBeUndefined();
    expect(next.steps[0]?.strategy).toEqual({ retries: 2 });
    expect(validateDocument(next, registry)).toEqual([]);
  });

  it('writes positions rounded into ui.positions and keeps the rest of ui', () => {
    const next = apply(sales, { kind: 'move', positions: { clean: { x: 10.4, y: -3.6 } } });
    expect(next.ui).toEqual({ positions: { load: { x: 0, y: 0 }, clean: { x: 10, y: -4 } }, viewport: { zoom: 1.5 } });
  });

  it('keeps unchanged steps as the same objects (memoized nodes do not re-render)', () => {
    const next = apply(sales, { kind: 'setConfig', id: 'clean', config: { threshold: 0.25 } });
    expect(next.steps[0]).toBe(sales.steps[0]);
    expect(next.steps[2]).toBe(sales.steps[2]);
  });
});

describe('applyEdit identity', () => {
  it('a move keeps the step list itself, so the graph is not rebuilt while dragging', () => {
    const next = apply(sales, { kind: 'move', positions: { clean: { x: 1, y: 1 } } });
    expect(next.steps).toBe(sales.steps);
    expect(apply(sales, { kind: 'move', positions: { load: { x: 0, y: 0 } } })).toBe(sales);
  });
});

describe('batch', () => {
  it('applies several edits as one: removing steps and a connection together', () => {
    const next = apply(sales, {
      kind: 'batch',
      edits: [
        { kind: 'remove', ids: ['load'] },
        { kind: 'disconnect', target: 'joined', input: 'right' },
      ],
    });
    expect(next.steps.map((step) => step.id)).toEqual(['clean', 'score', 'joined']);
    expect(next.steps[2]?.inputs).toEqual({ input: { step: 'score' } });
  });
});
