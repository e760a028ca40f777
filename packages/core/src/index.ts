/**
 * @stepwise/core: step types, the registry, workflow documents, the runtime context and the runner.
 * @packageDocumentation
 */
// errors

// the runtime context and its stores
export * from './context/index.js';
// workflows: build, validate, serialize
export * from './document/index.js';
export * from './errors/index.js';
// the workflow document model
export * from './model/index.js';
// step types, data types and the registry
export * from './registry/index.js';
// running workflows
export * from './runner/index.js';
