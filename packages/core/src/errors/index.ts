export { ERROR_CATEGORIES, type ErrorCategory, errorCategory, isRetryable } from './categories.js';
export { ErrorCode } from './codes.js';
export {
  describeValue,
  fromStepError,
  RefNotFoundError,
  type StepErrorInfo,
  StepFailedError,
  StepwiseError,
  type StepwiseErrorOptions,
  toStepError,
} from './stepwise-error.js';
export { joinPath, type ValidationIssue, WorkflowValidationError } from './workflow-validation-error.js';
