import { validateDocument, type WorkflowDocument } from '@stepwise/core/model';
import { describe, expect, it } from 'vitest';
import { chain, documentOf, testIndex, testRegistry } from '../test-kit/catalog.js';
import { checkConnection } from './connection.js';
import { applyEdit } from './edits.js';

const catalog = testIndex();
const registry = testRegistry();
const doc = documentOf([
  { id: 'rows', type: 'read_rows', config: { path: 'a' } },
  { id: 'text', type: 'read_text', config: { path: 'b' } },
  { id: 'j', type: 'join', config: { on: 'id' }, inputs: { input: { step: 'rows' }, right: { step: 'rows' } } },
  { id: 'any', type: 'nested', config: {}, inputs: { input: { step: 'j' } } },
]);

describe('checkConnection', () => {
  it('refuses an output whose data type does not fit the input, naming both types', () => {
    const check = checkConnection(doc, catalog, { source: 'text', target: 'j', input: 'right' });
    expect(check).toEqual({
      ok: false,
      reason: 'Input "right" of step "j" (join) expects JSON, but step "text" (read_text) gives Text.',
    });
  });

  it('is the rule validation applies: what it refuses, validation reports as INPUT_TYPE_MISMATCH', () => {
    const forced = {
      ...doc,
      steps: doc.steps.map((s) =>
        s.id === 'j' ? { ...s, inputs: { input: { step: 'rows' }, right: { step: 'text' } } } : s,
      ),
    };
    expect(validateDocument(forced, registry).map((issue) => issue.code)).toEqual(['INPUT_TYPE_MISMATCH']);
    expect(validateDocument(doc, registry)).toEqual([]);
  });

  it('accepts Any on either side, as core does', () => {
    expect(checkConnection(doc, catalog, { source: 'text', target: 'any', input: 'input' })).toEqual({ ok: true });
    expect(checkConnection(doc, catalog, { source: 'rows', target: 'any', input: 'input' })).toEqual({ ok: true });
  });

  it('refuses an input the step type does not have, a step reading itself, and a cycle', () => {
    expect(checkConnection(doc, catalog, { source: 'rows', target: 'text', input: 'input' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('none (it is a source step)'),
    });
    expect(checkConnection(doc, catalog, { source: 'j', target: 'j', input: 'right' })).toMatchObject({ ok: false });
    const loop = applyEdit(
      chain(3),
      { kind: 'addSteps', steps: [{ id: 'j', type: 'join', config: { on: 'k' } }] },
      catalog,
    );
    expect(checkConnection(loop, catalog, { source: 'j', target: 'clean_1', input: 'input' })).toEqual({
      ok: false,
      reason: 'Step "j" already reads "clean_1"; this connection would make a cycle.',
    });
  });

  it('accepts a connection to an earlier step (the edit reorders the steps)', () => {
    const late: WorkflowDocument = documentOf([
      { id: 'c', type: 'clean_nulls', config: {}, inputs: {} },
      { id: 'load', type: 'read_rows', config: { path: 'x' } },
    ]);
    expect(checkConnection(late, catalog, { source: 'load', target: 'c', input: 'input' })).toEqual({ ok: true });
  });
});
