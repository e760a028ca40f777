import { validateDocument, type WorkflowDocument } from '@stepwise/core/model';
import { describe, expect, it } from 'vitest';
import salesText from '../../../core/src/document/fixtures/sales.workflow.json?raw';
import { documentOf, testIndex, testRegistry } from '../test-kit/catalog.js';
import { applyEdit } from './edits.js';
import { configErrors, type EditorIssue, issuesByStep, locateIssue } from './issues.js';

const sales = JSON.parse(salesText) as WorkflowDocument;
const issue = (path: EditorIssue['path'], message = 'bad'): EditorIssue => ({ code: 'CONFIG_INVALID', path, message });

describe('locateIssue', () => {
  it('maps an array path to the step and the field inside its config, strategy or inputs', () => {
    expect(locateIssue(issue(['steps', 1, 'config', 'threshold']), sales)).toEqual({
      kind: 'step',
      stepId: 'clean',
      section: 'config',
      field: ['threshold'],
    });
    expect(locateIssue(issue(['steps', 2, 'strategy', 'workers']), sales)).toMatchObject({
      stepId: 'score',
      section: 'strategy',
      field: ['workers'],
    });
    expect(locateIssue(issue(['steps', 3, 'inputs', 'right', 'input']), sales)).toMatchObject({
      section: 'inputs',
      field: ['right', 'input'],
    });
    expect(locateIssue(issue(['steps', 0, 'type']), sales)).toEqual({
      kind: 'step',
      stepId: 'load',
      section: 'step',
      field: ['type'],
    });
    expect(locateIssue(issue(['steps', 0]), sales)).toEqual({
      kind: 'step',
      stepId: 'load',
      section: 'step',
      field: [],
    });
  });

  it('maps paths outside the steps, or to steps that do not exist, to the workflow', () => {
    expect(locateIssue(issue(['outputs', 'result']), sales)).toEqual({
      kind: 'workflow',
      field: ['outputs', 'result'],
    });
    expect(locateIssue(issue(['steps', 9, 'config']), sales)).toEqual({
      kind: 'workflow',
      field: ['steps', 9, 'config'],
    });
    expect(locateIssue(issue([]), sales)).toEqual({ kind: 'workflow', field: [] });
  });

  it('names the step of the validated document, even after an edit moved the steps', () => {
    const catalog = testIndex();
    const validated = sales;
    const edited = applyEdit(
      sales,
      { kind: 'addSteps', steps: [{ id: 'x', type: 'clean_nulls', config: {} }], after: 'load' },
      catalog,
    );
    expect(edited.steps[1]?.id).toBe('x');
    expect(locateIssue(issue(['steps', 1, 'config', 'threshold']), validated)).toMatchObject({ stepId: 'clean' });
  });
});

describe('configErrors', () => {
  it("builds the form's error tree for one step, nested by field, several messages per field", () => {
    const issues = [
      issue(['steps', 1, 'config', 'threshold'], 'too big'),
      issue(['steps', 1, 'config', 'threshold'], 'not a multiple'),
      issue(['steps', 1, 'config', 'aggregates', 0, 'column'], 'no such column'),
      issue(['steps', 2, 'config', 'threshold'], 'other step'),
      issue(['steps', 1, 'config', '__proto__', 'x'], 'hostile'),
    ];
    const tree = configErrors(issues, sales, 'clean');
    expect(tree).toEqual({
      threshold: { __errors: ['too big', 'not a multiple'] },
      aggregates: { 0: { column: { __errors: ['no such column'] } } },
      __errors: ['hostile'],
    });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('groups issues by step id for the canvas', () => {
    const byStep = issuesByStep([issue(['steps', 1, 'config']), issue(['outputs']), issue(['steps', 1])], sales);
    expect([...byStep.keys()]).toEqual(['clean']);
    expect(byStep.get('clean')).toHaveLength(2);
  });
});

describe("core's own validation issues", () => {
  it('map to the step and field they name, as the server sends them (core ValidationIssue)', () => {
    const document = documentOf([
      { id: 'load', type: 'read_rows', config: { path: 'rows.json' } },
      { id: 'clean', type: 'clean_nulls', config: { threshold: 'half' } },
    ]);
    const issues: EditorIssue[] = validateDocument(document, testRegistry());
    expect(issues.map((found) => [found.code, found.pathText])).toEqual([
      ['CONFIG_INVALID', 'steps[1].config.threshold'],
    ]);
    expect(locateIssue(issues[0] as EditorIssue, document)).toEqual({
      kind: 'step',
      stepId: 'clean',
      section: 'config',
      field: ['threshold'],
    });
    expect(configErrors(issues, document, 'clean').threshold).toMatchObject({ __errors: [expect.any(String)] });
  });
});
