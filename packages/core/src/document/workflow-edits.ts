import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { FORBIDDEN_KEYS, type InputReference } from '../model/document.js';
import type { StepRegistry } from '../registry/step-registry.js';
import { frozenJson } from './json-copy.js';

// The checks and copies behind Workflow's editing methods, as plain functions of what they edit.

/**
 * The slug of a step type given to `add` or `update`: a registered slug, or a StepType that is the
 * one the workflow's registry holds under its slug.
 * @throws StepwiseError `STEP_TYPE_UNKNOWN` (naming the closest slugs), `STEP_TYPE_CONFLICT`
 */
export function slugIn(registry: StepRegistry, workflowId: string, type: string | { readonly slug: string }): string {
  if (typeof type === 'string') return registry.require(type).slug;
  const registered = registry.get(type.slug);
  if (registered === undefined) {
    throw new StepwiseError(
      ErrorCode.STEP_TYPE_UNKNOWN,
      `Step type "${type.slug}" is not registered in the registry of workflow "${workflowId}"; register it there or create the workflow with { registry }.`,
      { details: { slug: type.slug } },
    );
  }
  if (registered !== type) {
    throw new StepwiseError(
      ErrorCode.STEP_TYPE_CONFLICT,
      `The workflow's registry holds a different step type under the slug "${type.slug}".`,
      { details: { slug: type.slug } },
    );
  }
  return type.slug;
}

/**
 * A frozen copy of `map` with `name` set to `value`, or removed when `value` is undefined.
 * @throws StepwiseError `KEY_FORBIDDEN` for `__proto__`, `constructor` or `prototype`
 */
export function withEntry<T>(
  map: Readonly<Record<string, T>>,
  path: string,
  name: string,
  value: T | undefined,
): Readonly<Record<string, T>> {
  if (typeof name !== 'string' || FORBIDDEN_KEYS.has(name)) {
    throw new StepwiseError(
      ErrorCode.KEY_FORBIDDEN,
      `"${String(name)}" cannot name an entry of ${path}; choose another name.`,
    );
  }
  const next: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(map)) if (key !== name) next[key] = entry;
  if (value !== undefined) next[name] = value;
  return frozenJson([path], next as Record<string, T>);
}

/** The outputs with every `{ step: from }` pointed at `to`, frozen. */
export function renamedOutputs(
  outputs: Readonly<Record<string, InputReference>>,
  from: string,
  to: string,
): Readonly<Record<string, InputReference>> {
  const renamed: Record<string, InputReference> = {};
  for (const [name, reference] of Object.entries(outputs)) {
    renamed[name] = 'step' in reference && reference.step === from ? { step: to } : reference;
  }
  return frozenJson(['outputs'], renamed);
}
