import { stringifyWorkflow, validateDocument, type WorkflowDocument } from '@stepwise/core/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chain, testIndex, testRegistry } from '../test-kit/catalog.js';
import { checkConnection } from './connection.js';
import { graphOf } from './document-graph.js';
import { type EditorState, openDocument, reduceEditor } from './editor-state.js';
import type { Edit } from './edits.js';
import { freeId, stepIds } from './step-ids.js';

const catalog = testIndex();
const registry = testRegistry();
const slugs = ['read_rows', 'clean_nulls', 'join', 'score_rows'];
const ORDER_CODES = new Set(['REFERENCE_FORWARD', 'REFERENCE_SELF', 'STEP_NOT_FOUND', 'CYCLE', 'STEP_ID_DUPLICATE']);

function edgeSet(document: WorkflowDocument): Set<string> {
  return new Set(graphOf(document, catalog).edges.map((e) => `${e.source}->${e.target}.${e.input}`));
}

/** An edit chosen by four numbers against the current document, or undefined when none applies. */
function pick(document: WorkflowDocument, [kind, a, b, c]: number[]): Edit | undefined {
  const ids = document.steps.map((step) => step.id);
  const at = (n = 0) => ids[n % Math.max(ids.length, 1)];
  const slug = slugs[(b ?? 0) % slugs.length] as string;
  switch ((kind ?? 0) % 7) {
    case 0: {
      const id = freeId(slug, stepIds(document));
      const step = {
        id,
        type: slug,
        config: slug === 'read_rows' ? { path: 'p' } : slug === 'join' ? { on: 'k' } : {},
      };
      return { kind: 'addSteps', steps: [step], ...(ids.length > 0 && (c ?? 0) % 2 === 0 ? { after: at(a) } : {}) };
    }
    case 1:
      return ids.length > 1 ? { kind: 'remove', ids: [at(a) as string] } : undefined;
    case 2: {
      const [source, target] = [at(a), at(b)];
      if (source === undefined || target === undefined) return undefined;
      const input = (c ?? 0) % 2 === 0 ? 'input' : 'right';
      const connection = { source, target, input };
      return checkConnection(document, catalog, connection).ok ? { kind: 'connect', connection } : undefined;
    }
    case 3: {
      const edges = graphOf(document, catalog).edges;
      const edge = edges[(a ?? 0) % Math.max(edges.length, 1)];
      return edge ? { kind: 'disconnect', target: edge.target, input: edge.input } : undefined;
    }
    case 4:
      return ids.length > 0 ? { kind: 'move', positions: { [at(a) as string]: { x: b ?? 0, y: c ?? 0 } } } : undefined;
    case 5: {
      const from = at(a);
      return from ? { kind: 'rename', from, to: freeId(`s${b}`, stepIds(document)) } : undefined;
    }
    default:
      return ids.length > 0
        ? { kind: 'setStrategy', id: at(a) as string, strategy: { retries: (b ?? 0) % 3 } }
        : undefined;
  }
}

describe('edit sequences (property)', () => {
  it('keep the document sound, keep connections an edit does not touch, and undo to the same bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.array(fc.nat(50), { minLength: 4, maxLength: 4 }), { maxLength: 25 }),
        (size, choices) => {
          const start = chain(size);
          let state: EditorState = openDocument(start);
          for (const choice of choices) {
            const before = state.history.document;
            const edit = pick(before, choice);
            if (edit === undefined) continue;
            state = reduceEditor(state, { type: 'edit', edit }, catalog);
            const after = state.history.document;
            expect(() => stringifyWorkflow(after)).not.toThrow();
            const order = validateDocument(after, registry).filter((issue) => ORDER_CODES.has(issue.code));
            expect(order).toEqual([]);
            if (edit.kind === 'addSteps' || edit.kind === 'move' || edit.kind === 'setStrategy') {
              const kept = edgeSet(after);
              for (const edge of edgeSet(before)) expect(kept.has(edge), `${edit.kind} lost ${edge}`).toBe(true);
            }
            if (edit.kind === 'connect') {
              const { source, target, input } = edit.connection;
              expect(edgeSet(after).has(`${source}->${target}.${input}`)).toBe(true);
            }
          }
          const final = stringifyWorkflow(state.history.document);
          let back = state;
          while (back.history.past.length > 0) back = reduceEditor(back, { type: 'undo' }, catalog);
          expect(stringifyWorkflow(back.history.document)).toBe(stringifyWorkflow(start));
          while (back.history.future.length > 0) back = reduceEditor(back, { type: 'redo' }, catalog);
          expect(stringifyWorkflow(back.history.document)).toBe(final);
        },
      ),
      { numRuns: 150 },
    );
  });
});
