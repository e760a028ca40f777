export {
  AnyType,
  BytesType,
  builtInDataTypes,
  type FileReference,
  FileReferenceType,
  JsonType,
  TextType,
} from './built-in-types.js';
export { closest, didYouMean } from './closest.js';
export {
  ANY,
  type BuiltInDataTypeName,
  type DataType,
  type DataTypeDefinition,
  type DataTypeLookup,
  loadDataTypes,
  materializeValue,
  typesCompatible,
  type ValueSize,
} from './data-type.js';
export { defaultRegistry as registry } from './default-registry.js';
export { dataType } from './define-data-type.js';
export { createStepType, type StepTypeDecorator, stepType } from './define-step-type.js';
export {
  type Catalog,
  describeStepType,
  StepRegistry,
  type StepTypeInfo,
  unknownStepTypeMessage,
} from './step-registry.js';
export {
  type ConfigOf,
  type DataTypeMap,
  type FilesFunction,
  type InferContext,
  type InferFunction,
  type InferIssue,
  type InferResult,
  type OutputShape,
  type RowOf,
  SLUG_PATTERN,
  type StepContext,
  type StepFunction,
  type StepInput,
  type StepLogger,
  type StepMode,
  type StepOutput,
  type StepType,
  type StepTypeDefinition,
  type StepTypeRegistrar,
  type ValueOf,
} from './step-type.js';
