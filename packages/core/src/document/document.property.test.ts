import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkflowValidationError } from '../errors/workflow-validation-error.js';
import { FORBIDDEN_KEYS } from '../model/document.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import { testRegistry } from './fixtures/test-registry.js';
import { parseWorkflow, stringifyWorkflow } from './serialize.js';
import { Workflow } from './workflow.js';

const { registry } = testRegistry();

const key = fc.string({ maxLength: 6 }).filter((name) => !FORBIDDEN_KEYS.has(name));
const { json } = fc.letrec<{ json: JsonValue }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string({ maxLength: 8 }),
    fc.array(tie('json'), { maxLength: 3 }),
    fc.dictionary(key, tie('json'), { maxKeys: 3 }),
  ),
}));
const jsonObject = fc.dictionary(key, json, { maxKeys: 4 }) as fc.Arbitrary<JsonObject>;
const id = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,12}$/);

const strategy = fc.record(
  {
    workers: fc.integer({ min: 1, max: 16 }),
    executor: fc.constantFrom('inline', 'threads', 'queue'),
    retries: fc.integer({ min: 0, max: 5 }),
    timeoutMs: fc.integer({ min: 1, max: 10_000 }),
    cache: fc.boolean(),
  },
  { requiredKeys: [] },
);

const step = fc.oneof(
  fc.record({
    type: fc.constant('clean_nulls'),
    config: fc.record({ threshold: fc.double({ min: 0, max: 1, noNaN: true }) }, { requiredKeys: [] }),
  }),
  fc.record({ type: fc.constant('score_rows'), config: fc.constant({}) }),
  fc.record({
    type: fc.constant('nested'),
    config: fc.record(
      { options: fc.record({ limit: fc.integer(), labels: fc.array(fc.string(), { maxLength: 3 }) }) },
      { requiredKeys: [] },
    ),
  }),
);

const workflowSpec = fc.record({
  id,
  name: fc.string({ maxLength: 10 }),
  description: fc.string({ maxLength: 10 }),
  path: fc.string({ maxLength: 10 }),
  steps: fc.array(fc.record({ step, strategy, metadata: jsonObject, named: fc.boolean() }), { maxLength: 6 }),
  ids: fc.uniqueArray(id, { minLength: 7, maxLength: 7 }),
  ui: jsonObject,
  metadata: jsonObject,
  outputs: fc.boolean(),
});

function build(spec: typeof workflowSpec extends fc.Arbitrary<infer S> ? S : never): Workflow {
  const wf = new Workflow({ id: spec.id, name: spec.name, description: spec.description, registry });
  wf.add('read_rows', { path: spec.path }, { id: spec.ids[0] as string });
  spec.steps.forEach(({ step: { type, config }, strategy, metadata, named }, i) => {
    const inputs = named ? { input: { step: spec.ids[0] as string } } : undefined;
    wf.add(type, config as JsonObject, {
      id: spec.ids[i + 1] as string,
      strategy,
      metadata,
      ...(inputs ? { inputs } : {}),
    });
  });
  wf.ui = spec.ui;
  wf.metadata = spec.metadata;
  if (spec.outputs) wf.setOutput('first', { step: spec.ids[0] as string });
  return wf;
}

describe('workflow documents (property based)', () => {
  it('random valid workflows round-trip to the same bytes', () => {
    fc.assert(
      fc.property(workflowSpec, (spec) => {
        const wf = build(spec);
        expect(wf.validate()).toEqual([]);
        const text = stringifyWorkflow(wf);
        const again = parseWorkflow(text, { registry });
        expect(stringifyWorkflow(again)).toBe(text);
        expect(Workflow.fromJSON(wf.toJSON(), { registry }).toJSON()).toEqual(wf.toJSON());
      }),
      { numRuns: 200 },
    );
  });

  it('random junk makes fromJSON throw WorkflowValidationError and nothing else', () => {
    const junk = fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
      withObjectString: true,
      withBoxedValues: true,
      key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'steps', 'type', 'id')),
    });
    fc.assert(
      fc.property(junk, (value) => {
        expectOnlyValidationErrors(value);
      }),
      { numRuns: 300 },
    );
  });

  it('valid documents with one value replaced by junk throw WorkflowValidationError or load cleanly', () => {
    const junk = fc.anything({ withBigInt: true, withDate: true, withNullPrototype: true });
    fc.assert(
      fc.property(workflowSpec, junk, fc.nat(), (spec, value, pick) => {
        const document = build(spec).toJSON() as unknown as JsonObject;
        replaceOne(document, value, pick);
        const loaded = expectOnlyValidationErrors(document);
        if (loaded)
          expect(stringifyWorkflow(Workflow.fromJSON(loaded.toJSON(), { registry }))).toBe(stringifyWorkflow(loaded));
      }),
      { numRuns: 300 },
    );
  });
});

function expectOnlyValidationErrors(value: unknown): Workflow | undefined {
  try {
    return Workflow.fromJSON(value, { registry });
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowValidationError);
    expect((error as WorkflowValidationError).issues.length).toBeGreaterThan(0);
    return undefined;
  } finally {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(Object.prototype)).toEqual([]);
  }
}

/** Replaces the `pick`-th value (in depth-first order) of a JSON tree. */
function replaceOne(root: JsonObject, value: unknown, pick: number): void {
  const slots: [Record<string, unknown>, string][] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    for (const [name, child] of Object.entries(node)) {
      slots.push([node as Record<string, unknown>, name]);
      stack.push(child);
    }
  }
  const slot = slots[pick % slots.length];
  if (slot) slot[0][slot[1]] = value;
}
