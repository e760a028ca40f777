import type { DataType, DataTypeDefinition } from './data-type.js';
import { defaultRegistry } from './default-registry.js';
import type { StepRegistry } from './step-registry.js';

/**
 * Registers a data type (in the default registry unless `registry` is given) and returns it.
 * @example
 * dataType({ name: 'Point', is: (v): v is Point => ..., encode, decode, preview: (p) => p });
 * @throws StepwiseError `DATA_TYPE_CONFLICT` when the name is taken.
 */
export function dataType<T>(definition: DataTypeDefinition<T> & { registry?: StepRegistry }): DataType<T> {
  const { registry = defaultRegistry, ...rest } = definition;
  return registry.registerDataType(rest as DataTypeDefinition<T>);
}
