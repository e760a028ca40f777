// Test fixtures for the runner's tests (excluded from the build like every *.contract.ts).
import { z } from 'zod';
import type { InputReference, StepStrategy, WorkflowDocument } from '../model/document.js';
import type { JsonObject } from '../model/json.js';
import { createStepType } from '../registry/define-step-type.js';
import { StepRegistry } from '../registry/step-registry.js';
import type { StepContext, StepType } from '../registry/step-type.js';
import type { PlannedStep, Workflow, WorkflowPlan } from './plan.js';

/** One step of a test workflow. */
export interface StepSpec {
  id: string;
  type: StepType;
  config?: JsonObject;
  inputs?: Record<string, InputReference>;
  strategy?: StepStrategy;
}

type Fn = (input: unknown, params: { n?: number }, ctx: StepContext) => unknown;

/** A JSON step type (JSON in, JSON out) around `fn`, registered in `registry`. */
export function jsonStep(registry: StepRegistry, slug: string, fn: Fn, source = false): StepType {
  const type = createStepType(
    {
      slug,
      params: z.object({ n: z.number().default(1) }),
      ...(source ? {} : { inputType: 'JSON' }),
      inputs: {},
      outputType: 'JSON',
    },
    fn as never,
  );
  return registry.register(type);
}

/** A workflow over `steps` (TEMPORARY plan builder until document/ lands). */
export function workflow(
  steps: StepSpec[],
  extra: { id?: string; inputs?: Record<string, { type: string }>; outputs?: Record<string, InputReference> } = {},
): Workflow {
  const registry = new StepRegistry();
  const planned: PlannedStep[] = steps.map((spec, index) => {
    const previous = steps[index - 1];
    const inputs =
      spec.inputs ?? (spec.type.inputType !== undefined && previous ? { input: { step: previous.id } } : {});
    const dependsOn = Object.values(inputs).flatMap((r) => ('step' in r ? [r.step] : []));
    return {
      index,
      id: spec.id,
      stepType: spec.type,
      config: spec.config ?? {},
      params: spec.type.params.parse(spec.config ?? {}),
      inputs,
      dependsOn,
      strategy: spec.strategy ?? {},
    };
  });
  const document: WorkflowDocument = {
    format: 'stepwise.workflow',
    version: 1,
    id: extra.id ?? 'test',
    name: 'Test',
    description: '',
    inputs: extra.inputs ?? {},
    steps: steps.map((s) => ({ id: s.id, type: s.type.slug, config: s.config ?? {} })),
    outputs: extra.outputs ?? {},
  };
  const last = steps[steps.length - 1];
  const plan: WorkflowPlan = {
    document,
    steps: planned,
    byId: new Map(planned.map((p) => [p.id, p])),
    inputs: extra.inputs ?? {},
    outputs: extra.outputs ?? (last ? { result: { step: last.id } } : {}),
    registry,
  };
  return { id: document.id, name: document.name, plan: () => plan } as unknown as Workflow;
}

/** A promise with its resolve/reject, for steps a test controls. */
export function deferred<T = unknown>(): {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
