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
export {
  formatPath,
  type IssueData,
  type PathSegment,
  type ValidationIssue,
  validationIssue,
  WorkflowValidationError,
} from './workflow-validation-error.js';
