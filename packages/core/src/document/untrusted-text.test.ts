import { describe, expect, it } from 'vitest';
import { WorkflowValidationError } from '../errors/workflow-validation-error.js';
import { findDuplicateKeys } from './duplicate-keys.js';
import { testRegistry } from './fixtures/test-registry.js';
import { parseWorkflow } from './serialize.js';
import { Workflow } from './workflow.js';

const { registry } = testRegistry();

/** The issues `parseWorkflow` refuses `text` with. */
function issuesOf(text: string) {
  try {
    parseWorkflow(text, { registry });
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowValidationError);
    return (error as WorkflowValidationError).issues.map(({ code, pathText, message }) => ({
      code,
      pathText,
      message,
    }));
  }
  throw new Error('expected a WorkflowValidationError');
}

const header = '"format": "stepwise.workflow", "version": 1, "id": "w"';
const read = (id: string, path = 'a.csv') => `{ "id": "${id}", "type": "read_rows", "config": { "path": "${path}" } }`;

describe('a key twice in one object is refused with DUPLICATE_KEY and its path', () => {
  it('at the top: two "steps" arrays, where JSON.parse would silently run the second', () => {
    const text = `{ ${header}, "steps": [${read('shown')}], "steps": [${read('hidden', '/etc/passwd')}] }`;
    expect(JSON.parse(text).steps[0].id).toBe('hidden'); // what a reader that keeps the last would run
    expect(issuesOf(text)).toEqual([
      { code: 'DUPLICATE_KEY', pathText: 'steps', message: expect.stringContaining('"steps" appears more than once') },
    ]);
  });

  it('in a step', () => {
    const text = `{ ${header}, "steps": [${read('a')}, { "id": "b", "type": "clean_nulls", "type": "read_rows", "config": { "path": "x" } }] }`;
    expect(issuesOf(text)).toEqual([expect.objectContaining({ code: 'DUPLICATE_KEY', pathText: 'steps[1].type' })]);
  });

  it("in a step's config, three levels down, with escapes that spell the same key", () => {
    const text = `{ ${header}, "steps": [${read('a')}, { "id": "c", "type": "clean_nulls", "config": { "threshold": 0.1, "thr\\u0065shold": 0.9 } }] }`;
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_KEY', pathText: 'steps[1].config.threshold' }),
    ]);
  });

  it('deep in free-form metadata, listed with the other issues of the document', () => {
    const text = `{ ${header}, "steps": [${read('a')}, { "id": "a", "type": "read_rows", "config": { "path": "b" } }], "metadata": { "x": [0, { "y": { "z": 1, "z": 2, "z": 3 } }] } }`;
    expect(issuesOf(text).map((issue) => [issue.code, issue.pathText])).toEqual([
      ['DUPLICATE_KEY', 'metadata.x[1].y.z'],
      ['STEP_ID_DUPLICATE', 'steps[1].id'],
    ]);
  });

  it('keys that only look alike are not duplicates: strings holding braces, commas and quotes, equal keys in sibling objects', () => {
    const text = `{ ${header}, "steps": [${read('a', 'x,\\"{}[]:')}, ${read('b')}], "metadata": { "a": { "k": "}" }, "b": { "k": "{" }, "c": ["k", "k"] } }`;
    expect(() => parseWorkflow(text, { registry })).not.toThrow();
    expect(findDuplicateKeys(text)).toEqual([]);
  });

  it('is linear: a 2 MB document with 100,000 keys is scanned in one pass', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `"key_${i}": ${i}`).join(', ');
    const text = `{ ${header}, "steps": [${read('a')}], "metadata": { ${keys}, "key_99999": 0 } }`;
    expect(findDuplicateKeys(text).map((issue) => issue.pathText)).toEqual(['metadata.key_99999']);
  });

  it('nesting deeper than the document limit is scanned without recursion (and refused for its depth)', () => {
    const deep = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    expect(findDuplicateKeys(deep)).toEqual([]);
    const codes = issuesOf(`{ ${header}, "steps": [], "ui": ${deep} }`).map((issue) => issue.code);
    expect(codes).toEqual(['NESTING_TOO_DEEP']);
  });
});

describe('a leading byte order mark', () => {
  it('is accepted and ignored', () => {
    const text = `\uFEFF{ ${header}, "steps": [${read('a')}] }`;
    expect(
      parseWorkflow(text, { registry })
        .toJSON()
        .steps.map((step) => step.id),
    ).toEqual(['a']);
  });

  it('only at the very start: a BOM after whitespace is still a syntax error, at its position', () => {
    expect(issuesOf(` \uFEFF{}`)).toEqual([
      expect.objectContaining({ code: 'DOCUMENT_INVALID', message: expect.stringContaining('line 1, column 2') }),
    ]);
  });
});

describe('{ "ref": ... } is checked when the document is validated, not when it runs', () => {
  const withRef = (ref: string) => ({
    format: 'stepwise.workflow',
    version: 1,
    id: 'w',
    steps: [{ id: 'clean', type: 'clean_nulls', config: {}, inputs: { input: { ref } } }],
  });

  it.each([
    '../../etc/passwd',
    '/etc/passwd',
    'ref_abcdefgh/../../x',
    'ref_..%2f..%2fetc%2fpasswd',
    'ref_abcdefgh%2fx',
    'ref_abc',
    'ref_abcdefgh.meta.json',
    ' ref_abcdefgh',
    `ref_${'a'.repeat(65)}`,
    'C:\\Windows\\win.ini',
  ])('%s is REF_INVALID at its path', (ref) => {
    let issues: unknown;
    try {
      Workflow.fromJSON(withRef(ref), { registry });
    } catch (error) {
      issues = (error as WorkflowValidationError).issues;
    }
    expect(issues).toEqual([
      expect.objectContaining({
        code: 'REF_INVALID',
        pathText: 'steps[0].inputs.input.ref',
        message: expect.stringContaining('"ref_" then 8 to 64 letters'),
      }),
    ]);
  });

  it('a ref of the form the stores accept validates', () => {
    const workflow = Workflow.fromJSON(withRef('ref_AbC-12_xyz'), { registry });
    expect(workflow.toJSON().steps[0]?.inputs).toEqual({ input: { ref: 'ref_AbC-12_xyz' } });
  });
});
