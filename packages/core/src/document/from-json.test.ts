import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { WorkflowValidationError } from '../errors/workflow-validation-error.js';
import { DocumentLimits } from '../model/document.js';
import { stepType } from '../registry/define-step-type.js';
import { StepRegistry } from '../registry/step-registry.js';
import { testRegistry } from './fixtures/test-registry.js';
import { parseWorkflow } from './serialize.js';
import { Workflow } from './workflow.js';

const { registry } = testRegistry();

function doc(steps: unknown[], extra: Record<string, unknown> = {}) {
  return { format: 'stepwise.workflow', version: 1, id: 'w', steps, ...extra };
}

function issuesOf(input: unknown) {
  try {
    Workflow.fromJSON(input, { registry });
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowValidationError);
    return (error as WorkflowValidationError).issues;
  }
  throw new Error('expected a WorkflowValidationError');
}

const load = { id: 'load', type: 'read_rows', config: { path: 'a.csv' } };

describe('Workflow.fromJSON rejects bad documents with every issue and its path', () => {
  it.each([null, [], 'text', 42, undefined, true, new Date(0), () => 1])(
    'a top level that is not an object: %s',
    (input) => {
      expect(issuesOf(input)).toEqual([expect.objectContaining({ code: 'DOCUMENT_INVALID', pathText: '' })]);
    },
  );

  it('an unknown format or version', () => {
    expect(issuesOf({ ...doc([]), format: 'n8n' })).toEqual([
      expect.objectContaining({ code: 'FORMAT_UNSUPPORTED', pathText: 'format' }),
    ]);
    expect(issuesOf({ ...doc([]), version: 2 })).toEqual([
      expect.objectContaining({ code: 'FORMAT_UNSUPPORTED', pathText: 'version' }),
    ]);
  });

  it('unknown fields everywhere except under ui and metadata', () => {
    const issues = issuesOf(
      doc([{ ...load, color: 'red', strategy: { workers: 2, turbo: true }, inputs: { x: { step: 'a', extra: 1 } } }], {
        extra: 1,
        ui: { anything: { goes: [1] } },
        metadata: { also: 'fine' },
        inputs: { c: { type: 'JSON', default: 1 } },
      }),
    );
    const unknown = issues.filter((issue) => issue.code === 'FIELD_UNKNOWN').map((issue) => issue.pathText);
    expect(unknown.sort()).toEqual([
      'extra',
      'inputs.c.default',
      'steps[0].color',
      'steps[0].inputs.x.extra',
      'steps[0].strategy.turbo',
    ]);
    expect(issues.find((issue) => issue.pathText === 'extra')?.message).toMatch(
      /Unknown field "extra".*"ui" or "metadata"/,
    );
  });

  it('missing and mistyped fields', () => {
    const issues = issuesOf({
      format: 'stepwise.workflow',
      version: 1,
      name: 3,
      steps: [{ type: 'read_rows', strategy: { workers: 0, executor: 'gpu' } }],
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'FIELD_REQUIRED', pathText: 'id' }),
        expect.objectContaining({ code: 'FIELD_INVALID', pathText: 'name' }),
        expect.objectContaining({ code: 'FIELD_REQUIRED', pathText: 'steps[0].id' }),
        expect.objectContaining({ code: 'FIELD_INVALID', pathText: 'steps[0].strategy.workers' }),
        expect.objectContaining({ code: 'FIELD_INVALID', pathText: 'steps[0].strategy.executor' }),
      ]),
    );
  });

  it('keeps checking the content of sound steps when other parts are malformed', () => {
    const issues = issuesOf(
      doc(
        [
          load,
          { id: 'bad', type: 'clean_nulls', confg: {} },
          { id: 'c', type: 'clean_nulls', config: { threshold: 7 } },
        ],
        {
          inputsx: 1,
        },
      ),
    );
    expect(issues.map((issue) => [issue.code, issue.pathText])).toEqual([
      ['FIELD_UNKNOWN', 'steps[1].confg'],
      ['FIELD_UNKNOWN', 'inputsx'],
      ['CONFIG_INVALID', 'steps[2].config.threshold'],
    ]);
  });

  it('references with none or two of step, input and ref', () => {
    const issues = issuesOf(doc([load], { outputs: { a: {}, b: { step: 'load', ref: 'ref_xxxxxxxx' } } }));
    expect(issues.map((issue) => [issue.code, issue.pathText])).toEqual([
      ['FIELD_INVALID', 'outputs.a'],
      ['FIELD_INVALID', 'outputs.b'],
    ]);
  });

  it('__proto__, constructor and prototype keys at any level, without polluting any prototype', () => {
    const text = `{"format":"stepwise.workflow","version":1,"id":"w","__proto__":{"polluted":1},
      "steps":[{"id":"load","type":"read_rows","config":{"path":"a","constructor":{"prototype":{"polluted":2}}},
      "metadata":{"deep":[{"__proto__":{"polluted":3}}]}}],"ui":{"prototype":1}}`;
    const issues = (() => {
      try {
        parseWorkflow(text, { registry });
      } catch (error) {
        return (error as WorkflowValidationError).issues;
      }
      return [];
    })();
    expect(issues.filter((issue) => issue.code === 'KEY_FORBIDDEN').map((issue) => issue.pathText)).toEqual([
      '__proto__',
      'steps[0].config.constructor',
      'steps[0].metadata.deep[0].__proto__',
      'ui.prototype',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it.each(['toString', '__proto__', 'constructor', '../x', '', 'hasOwnProperty'])(
    'the step type %j is unknown, never a crash',
    (type) => {
      expect(issuesOf(doc([{ id: 's', type, config: {} }]))).toEqual([
        expect.objectContaining({ code: 'STEP_TYPE_UNKNOWN', pathText: 'steps[0].type' }),
      ]);
    },
  );

  it('input and output names that are Object.prototype members are unknown, not found', () => {
    const issues = issuesOf(
      doc([{ ...load }, { id: 'c', type: 'clean_nulls', config: {}, inputs: { input: { input: 'toString' } } }], {
        outputs: { result: { step: 'hasOwnProperty' } },
      }),
    );
    expect(issues.map((issue) => [issue.code, issue.pathText])).toEqual([
      ['INPUT_UNKNOWN', 'steps[1].inputs.input.input'],
      ['STEP_NOT_FOUND', 'outputs.result.step'],
    ]);
  });

  it('wrong config types, missing required fields and unknown config keys, with paths down to the field', () => {
    const issues = issuesOf(
      doc([
        { id: 'load', type: 'read_rows', config: {} },
        { id: 'clean', type: 'clean_nulls', config: { threshold: 'high', treshold: 0.2 } },
        { id: 'n', type: 'nested', config: { options: { limit: 1.5, labels: ['a', 2] } } },
      ]),
    );
    expect(issues.map((issue) => [issue.code, issue.pathText])).toEqual([
      ['CONFIG_INVALID', 'steps[0].config.path'],
      ['CONFIG_INVALID', 'steps[1].config.threshold'],
      ['CONFIG_INVALID', 'steps[1].config.treshold'],
      ['CONFIG_INVALID', 'steps[2].config.options.limit'],
      ['CONFIG_INVALID', 'steps[2].config.options.labels[1]'],
    ]);
    expect(issues[2]?.message).toMatch(/Unknown config key "treshold".*expected one of: threshold/);
  });

  it('unknown config keys of a params object with its own refinement: the same issues with or without one', () => {
    const own = new StepRegistry();
    stepType(
      {
        slug: 'bounded',
        params: z
          .object({ low: z.number().default(0), high: z.number().default(1) })
          .refine((p) => p.low <= p.high, { message: 'low must not exceed high', path: ['low'] }),
        outputType: 'JSON',
        registry: own,
      },
      () => [],
    );
    const issues = (config: Record<string, unknown>) => {
      try {
        Workflow.fromJSON(doc([{ id: 'b', type: 'bounded', config }]), { registry: own });
        return [];
      } catch (error) {
        return (error as WorkflowValidationError).issues.map((issue) => [issue.pathText, issue.message]);
      }
    };
    expect(issues({ low: 2, high: 1, hihg: 3 })).toEqual([
      ['steps[0].config.hihg', 'Unknown config key "hihg" for step "b" (bounded); expected one of: low, high.'],
      ['steps[0].config.low', 'Config of step "b" (bounded): low must not exceed high.'],
    ]);
    expect(issues({ low: 2, high: 1 })).toEqual([
      ['steps[0].config.low', 'Config of step "b" (bounded): low must not exceed high.'],
    ]);
    expect(issues({ hihg: 3 })).toEqual([
      ['steps[0].config.hihg', 'Unknown config key "hihg" for step "b" (bounded); expected one of: low, high.'],
    ]);
    const plan = Workflow.fromJSON(doc([{ id: 'b', type: 'bounded', config: { high: 5 } }]), { registry: own }).plan();
    expect(plan.steps[0]?.params).toEqual({ low: 0, high: 5 });
  });

  it('a config nested 100,000 levels deep, without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const issues = issuesOf(doc([{ id: 'n', type: 'nested', config: { options: deep } }]));
    expect(issues).toEqual([expect.objectContaining({ code: 'NESTING_TOO_DEEP' })]);
    expect(issues[0]?.pathText.startsWith('steps[0].config.options.a.a')).toBe(true);
    const text = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() =>
      parseWorkflow(`{"format":"stepwise.workflow","version":1,"id":"w","steps":[],"ui":{"x":${text}}}`),
    ).toThrow(/Nested more than/);
  });

  it(`more than ${DocumentLimits.maxSteps} steps, before looking at any step`, () => {
    const steps = new Array(DocumentLimits.maxSteps + 1).fill(null);
    expect(issuesOf(doc(steps))).toEqual([expect.objectContaining({ code: 'DOCUMENT_TOO_LARGE', pathText: 'steps' })]);
  });

  it('non-JSON values: functions, undefined, NaN, Infinity, bigint, class instances, sparse arrays', () => {
    const issues = issuesOf(
      doc([
        {
          ...load,
          metadata: {
            f: () => 1,
            u: undefined,
            n: Number.NaN,
            i: Number.POSITIVE_INFINITY,
            b: 1n,
            d: new Date(0),
            m: new Map(),
            s: Object.assign([1], { 2: 3 }),
          },
        },
      ]),
    );
    expect(issues.every((issue) => issue.code === 'FIELD_INVALID')).toBe(true);
    expect(issues.map((issue) => issue.pathText).sort()).toEqual(
      ['b', 'd', 'f', 'i', 'm', 'n', 's[1]', 'u'].map((key) => `steps[0].metadata.${key}`),
    );
    expect(issues.find((issue) => issue.pathText.endsWith('.d'))?.message).toMatch(
      /an instance of Date is not a JSON value/,
    );
  });

  it('getters that throw and proxies become a WorkflowValidationError too', () => {
    const hostile = doc([load]);
    Object.defineProperty(hostile, 'name', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(issuesOf(hostile)).toEqual([
      expect.objectContaining({ code: 'DOCUMENT_INVALID', message: expect.stringMatching(/boom/) }),
    ]);
    const proxy = new Proxy(doc([load]), {
      ownKeys: () => {
        throw 'no keys';
      },
    });
    expect(issuesOf(proxy)[0]?.code).toBe('DOCUMENT_INVALID');
  });

  it('accepts 10,000 steps', () => {
    const steps = [
      load,
      ...Array.from({ length: 9_999 }, (_, i) => ({ id: `s${i}`, type: 'clean_nulls', config: { threshold: 0.1 } })),
    ];
    const workflow = Workflow.fromJSON(doc(steps), { registry });
    expect(workflow.steps).toHaveLength(10_000);
    expect(workflow.plan().steps[9_999]?.dependsOn).toEqual(['s9997']);
  });
});
