// step keys: what decides that an earlier output still stands (resume, strategy.cache, plans)
export { canonicalJson, sha256 } from './canonical.js';
export { fileIdentityText, type IdentifyFileOptions, identifyFile } from './file-identity.js';
export { fingerprintOf } from './fingerprint.js';
export { type KeySide, keyChanges, type PlanReason, type PlanReasonCode } from './key-changes.js';
export {
  documentKeySteps,
  hashParts,
  identifyStepFiles,
  type KeyParts,
  type KeySource,
  type KeyStep,
  recordKeySource,
  resultStrategy,
  StepKeys,
} from './step-keys.js';
