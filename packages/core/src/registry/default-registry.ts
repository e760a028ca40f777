import { StepRegistry } from './step-registry.js';

/** The module-level default registry that `stepType` and `dataType` register into. */
export const defaultRegistry = new StepRegistry();
