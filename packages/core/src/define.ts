/**
 * The step-library entry of @stepwise/core: what a module that defines step types and data types
 * needs (the registry, `stepType`, `dataType`, errors, a file's identity), without the runner, the
 * stores, the executors or the document model. A worker thread imports a project's step modules to
 * find a step type by slug; a library that imports from here costs it about 25 of core's modules
 * instead of about 125. These are the very objects of the main entry: a step type registered here
 * is in `registry` there.
 * @example
 * import { StepwiseError, stepType } from '@stepwise/core/define';
 * @packageDocumentation
 */

export { findJsonSyntaxError, type JsonSyntaxError } from './document/json-syntax.js';
export * from './errors/index.js';
export { fileIdentityText, type IdentifyFileOptions, identifyFile } from './keys/file-identity.js';
export type { MaybePromise } from './maybe-promise.js';
export { isPlainObject, type JsonObject, type JsonValue } from './model/json.js';
export type { FileIdentity } from './model/run.js';
export * from './registry/index.js';
