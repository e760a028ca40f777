// Validation issues as data: an array path the editor maps to a field, the same path as text for
// the CLI, and per-code data (suggestions, expected, actual), with no parsing of messages.
import { describe, expect, it } from 'vitest';
import { formatPath, WorkflowValidationError } from '../errors/workflow-validation-error.js';
import { testRegistry } from './fixtures/test-registry.js';
import { validateDocument } from './inspect.js';
import { parseWorkflow } from './serialize.js';
import { Workflow } from './workflow.js';

const { registry } = testRegistry();
const doc = (steps: unknown[], extra: Record<string, unknown> = {}) => ({
  format: 'stepwise.workflow',
  version: 1,
  id: 'w',
  steps,
  ...extra,
});
const load = { id: 'load', type: 'read_rows', config: { path: 'a.csv' } };

describe('validation issues as data', () => {
  it('carry the path as keys and indexes, and the same path as text', () => {
    const issues = validateDocument(
      doc([load, { id: 'clean', type: 'clean_nulls', config: { threshold: 'high', 'two words': 1 } }], {
        inputs: { sales: { type: 'Nope' } },
      }),
      registry,
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      ['inputs', 'sales', 'type'],
      ['steps', 1, 'config', 'threshold'],
      ['steps', 1, 'config', 'two words'],
    ]);
    expect(issues.map((issue) => issue.pathText)).toEqual([
      'inputs.sales.type',
      'steps[1].config.threshold',
      'steps[1].config["two words"]',
    ]);
    for (const issue of issues) expect(issue.pathText).toBe(formatPath(issue.path));
    expect(formatPath([])).toBe('');
  });

  it('name close matches of an unknown step type, field, config key, step or input', () => {
    const issues = validateDocument(
      doc(
        [
          { ...load, strategi: {} },
          { id: 'cleaner', type: 'clean_null', config: {} },
          { id: 'doubler', type: 'clean_nulls', config: { treshold: 0.5 }, inputs: { input: { step: 'lod' } } },
        ],
        { outputs: { result: { input: 'sale' } }, inputs: { sales: { type: 'JSON' } } },
      ),
      registry,
    );
    const byCode = (code: string) =>
      issues.filter((issue) => issue.code === code).map(({ path, suggestions }) => ({ path, suggestions }));
    expect(byCode('FIELD_UNKNOWN')).toEqual([{ path: ['steps', 0, 'strategi'], suggestions: ['strategy'] }]);
    expect(byCode('STEP_TYPE_UNKNOWN')).toEqual([{ path: ['steps', 1, 'type'], suggestions: ['clean_nulls'] }]);
    expect(byCode('CONFIG_INVALID')).toEqual([
      { path: ['steps', 2, 'config', 'treshold'], suggestions: ['threshold'] },
    ]);
    expect(byCode('STEP_NOT_FOUND')).toEqual([
      { path: ['steps', 2, 'inputs', 'input', 'step'], suggestions: ['load'] },
    ]);
    expect(byCode('INPUT_UNKNOWN')).toEqual([{ path: ['outputs', 'result', 'input'], suggestions: ['sales'] }]);
  });

  it('say what was expected and what was found', () => {
    const issues = validateDocument(
      doc(
        [
          load,
          { id: 'c', type: 'clean_nulls', config: { threshold: 'high' } },
          { id: 't', type: 'read_text', config: { path: 'x' }, inputs: { input: { step: 'load' } } },
        ],
        {
          name: 7,
        },
      ),
      registry,
    );
    const data = issues.map(({ code, expected, actual }) => ({ code, expected, actual }));
    expect(data).toContainEqual({ code: 'FIELD_INVALID', expected: 'string', actual: '7' });
    expect(data).toContainEqual({ code: 'CONFIG_INVALID', expected: 'number', actual: '"high"' });
    expect(validateDocument({ ...doc([]), format: 'other' }, registry)).toEqual([
      expect.objectContaining({
        code: 'FORMAT_UNSUPPORTED',
        path: ['format'],
        expected: '"stepwise.workflow"',
        actual: '"other"',
      }),
    ]);
  });

  it('leave out what a code does not know, so the issue stays small', () => {
    const [issue] = validateDocument(doc([load, load]), registry);
    expect(issue).toEqual({
      code: 'STEP_ID_DUPLICATE',
      path: ['steps', 1, 'id'],
      pathText: 'steps[1].id',
      message: 'Step id "load" is already used by steps[0]; step ids must be unique.',
      expected: 'an id no other step has',
      actual: '"load"',
    });
  });

  it('Workflow.fromJSON and parseWorkflow keep the cause of a document that could not be read', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys for you');
        },
      },
    );
    let error: unknown;
    try {
      Workflow.fromJSON(hostile, { registry });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(WorkflowValidationError);
    expect((error as Error).cause).toBeDefined();
    const syntax = (() => {
      try {
        parseWorkflow('{"format": ', { registry });
      } catch (thrown) {
        return thrown as Error;
      }
      return undefined;
    })();
    expect(syntax?.cause).toBeInstanceOf(SyntaxError);
  });
});
