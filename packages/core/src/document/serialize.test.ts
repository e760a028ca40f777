import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkflowValidationError } from '../errors/workflow-validation-error.js';
import { testRegistry } from './fixtures/test-registry.js';
import { parseWorkflow, stringifyWorkflow } from './serialize.js';
import { Workflow } from './workflow.js';

const fixtures = new URL('./fixtures/', import.meta.url);
const fixtureNames = readdirSync(fixtures).filter((name) => name.endsWith('.workflow.json'));

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowValidationError);
    return (error as WorkflowValidationError).issues;
  }
  throw new Error('expected a WorkflowValidationError');
}

describe('round trip of the fixture documents', () => {
  const { registry } = testRegistry();
  it.each(fixtureNames)('%s parses, serializes to the same bytes, and parses again', (name) => {
    const text = readFileSync(new URL(name, fixtures), 'utf8');
    const workflow = parseWorkflow(text, { registry });
    expect(stringifyWorkflow(workflow)).toBe(text);
    const again = Workflow.fromJSON(workflow.toJSON(), { registry });
    expect(again.toJSON()).toEqual(workflow.toJSON());
    expect(again.steps).toEqual(workflow.steps);
    expect(stringifyWorkflow(again)).toBe(text);
  });

  it('gives the same bytes whatever the key order of the input', () => {
    const text = readFileSync(new URL('sales.workflow.json', fixtures), 'utf8');
    const reversed = reverseKeys(JSON.parse(text));
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(JSON.parse(text)));
    expect(stringifyWorkflow(Workflow.fromJSON(reversed, { registry }))).toBe(text);
    expect(stringifyWorkflow(reversed as never)).toBe(text);
  });

  it('writes fields in the fixed order, fills defaults and leaves out empty step fields', () => {
    const document = {
      steps: [{ strategy: {}, metadata: {}, config: { b: 1, a: { d: 1, c: 2 } }, type: 'nested', id: 's' }],
      id: 'w',
      version: 1,
      format: 'stepwise.workflow',
      metadata: {},
    };
    const text = stringifyWorkflow(document as never);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'format',
      'version',
      'id',
      'name',
      'description',
      'inputs',
      'steps',
      'outputs',
    ]);
    expect(JSON.parse(text).steps).toEqual([{ id: 's', type: 'nested', config: { a: { c: 2, d: 1 }, b: 1 } }]);
    expect(text).toContain('"config": {\n        "a": {\n          "c": 2');
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('keeps an explicit empty inputs map (it means "no inputs", unlike a missing one)', () => {
    const { registry } = testRegistry();
    const workflow = Workflow.fromJSON(
      {
        format: 'stepwise.workflow',
        version: 1,
        id: 'w',
        steps: [{ id: 'r', type: 'read_rows', config: { path: 'x' }, inputs: {} }],
      },
      { registry },
    );
    expect(workflow.toJSON().steps[0]?.inputs).toEqual({});
  });
});

describe('parseWorkflow and stringifyWorkflow', () => {
  it('turns a JSON syntax error into a DOCUMENT_INVALID issue', () => {
    const issues = issuesOf(() => parseWorkflow('{ "format": '));
    expect(issues).toEqual([expect.objectContaining({ code: 'DOCUMENT_INVALID', pathText: '' })]);
    expect(issues[0]?.message).toMatch(/not valid JSON/);
  });

  it('names the line and column of a JSON syntax error', () => {
    const issues = issuesOf(() => parseWorkflow('{\n  "steps": [\n    1,\n  ]\n}'));
    expect(issues[0]?.message).toBe('The document is not valid JSON: line 4, column 3: unexpected "]".');
  });

  it('refuses anything but text with a WorkflowValidationError', () => {
    const issues = issuesOf(() => parseWorkflow({ format: 'stepwise.workflow' } as never));
    expect(issues[0]?.message).toMatch(/Expected the document's JSON text, got an object/);
  });

  it('refuses to stringify a malformed document', () => {
    const issues = issuesOf(() => stringifyWorkflow({ format: 'stepwise.workflow', version: 1, id: 'w' } as never));
    expect(issues).toEqual([expect.objectContaining({ code: 'FIELD_REQUIRED', pathText: 'steps' })]);
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, child]) => [key, reverseKeys(child)]),
  );
}
