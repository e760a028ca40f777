import { stepTypeFingerprint } from '../registry/step-registry.js';
import type { StepType } from '../registry/step-type.js';
import { sha256 } from './canonical.js';

const fingerprints = new WeakMap<StepType, string>();

/**
 * A short hash of a step type's definition: its fields, params schema, and the source of its
 * function (a decorated method's own) and hooks. A run records it per slug; a step whose type's
 * fingerprint changed since it ran is run again. Computed once per step type object.
 */
export function fingerprintOf(type: StepType): string {
  let fingerprint = fingerprints.get(type);
  if (fingerprint === undefined) {
    fingerprint = sha256(stepTypeFingerprint(type)).slice(0, 32);
    fingerprints.set(type, fingerprint);
  }
  return fingerprint;
}
