// Test fixtures for the runner's tests (excluded from the build like every *.contract.ts).
import { z } from 'zod';
import type { Store, SyncStore } from '../context/store.js';
import type { InputReference, StepStrategy } from '../model/document.js';
import type { JsonObject } from '../model/json.js';
import { createStepType } from '../registry/define-step-type.js';
import { StepRegistry } from '../registry/step-registry.js';
import type { StepContext, StepType } from '../registry/step-type.js';
import { Workflow } from './plan.js';

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
export function jsonStep(
  registry: StepRegistry,
  slug: string,
  fn: Fn,
  options: { source?: boolean; inputs?: Record<string, string> } = {},
): StepType {
  const type = createStepType(
    {
      slug,
      params: z.object({ n: z.number().default(1) }),
      ...(options.source ? {} : { inputType: 'JSON' }),
      inputs: options.inputs ?? {},
      outputType: 'JSON',
    },
    fn as never,
  );
  return registry.register(type);
}

/** A workflow over `steps`, in a fresh registry holding their step types. */
export function workflow(
  steps: StepSpec[],
  extra: { id?: string; inputs?: Record<string, { type: string }>; outputs?: Record<string, InputReference> } = {},
): Workflow {
  const registry = new StepRegistry();
  for (const spec of steps) registry.register(spec.type);
  const wf = new Workflow({
    id: extra.id ?? 'test',
    name: 'Test',
    inputs: extra.inputs ?? {},
    outputs: extra.outputs ?? {},
    registry,
  });
  for (const spec of steps) {
    wf.add(spec.type.slug, spec.config ?? {}, {
      id: spec.id,
      ...(spec.inputs ? { inputs: spec.inputs } : {}),
      ...(spec.strategy ? { strategy: spec.strategy } : {}),
    });
  }
  return wf;
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

/**
 * `store` with every method answering a promise (after a macrotask, as a network store would):
 * what the runner must handle as well as it handles memory and files.
 */
export function promisedStore(store: SyncStore): Store {
  const later = <T>(value: () => T): Promise<T> =>
    new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(value());
        } catch (error) {
          reject(error);
        }
      }),
    );
  const wrap = <T extends object>(part: T): T =>
    new Proxy(part, {
      get(target, key) {
        const member = Reflect.get(target, key, target) as unknown;
        if (typeof member !== 'function' || key === 'bind')
          return typeof member === 'function' ? member.bind(target) : member;
        return (...args: unknown[]) => later(() => (member as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
  return { values: wrap(store.values), runs: wrap(store.runs), cache: wrap(store.cache) };
}
