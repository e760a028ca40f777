import { z } from 'zod';
import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { JsonValue } from '../model/json.js';
import { builtInDataTypes } from './built-in-types.js';
import { closest, didYouMean } from './closest.js';
import type { DataType, DataTypeDefinition, DataTypeLookup } from './data-type.js';
import { sourceFunction } from './function-source.js';
import type { StepMode, StepType } from './step-type.js';

/** One entry of the catalog the editor and `stepwise steps` show. */
export interface StepTypeInfo {
  slug: string;
  name: string;
  description: string;
  inputType: string | null;
  inputs: Record<string, string>;
  outputType: string;
  mode: StepMode;
  metadata: Record<string, JsonValue>;
  /** The parameters as JSON Schema (draft 2020-12), defaults included. */
  params: Record<string, unknown>;
  /** The config an empty `{}` becomes, or null when some parameter is required. */
  defaults: Record<string, JsonValue> | null;
}

/** The catalog: every step type and data type of a registry. */
export interface Catalog {
  stepTypes: StepTypeInfo[];
  dataTypes: { name: string; description: string }[];
}

/**
 * Holds step types by slug and data types by name.
 * @example
 * const registry = new StepRegistry();
 * stepType({ slug: 'double', inputType: 'JSON', outputType: 'JSON', registry }, (n) => Number(n) * 2);
 * registry.get('double');
 */
export class StepRegistry implements DataTypeLookup {
  readonly #steps = new Map<string, StepType>();
  readonly #dataTypes = new Map<string, DataType>();

  constructor() {
    for (const type of builtInDataTypes) this.registerDataType(type);
  }

  /**
   * Adds a step type. Registering the same definition twice is a no-op (a module loaded twice).
   * @throws StepwiseError `STEP_TYPE_CONFLICT` when the slug is taken by a different definition.
   */
  register<T extends StepType>(stepType: T): T {
    const existing = this.#steps.get(stepType.slug);
    if (existing) {
      // fingerprints (params as JSON Schema, sources) only for a second registration: every start
      // registers the whole step library, and would otherwise pay them all
      if (existing === stepType || stepTypeFingerprint(existing) === stepTypeFingerprint(stepType))
        return existing as T;
      throw new StepwiseError(
        ErrorCode.STEP_TYPE_CONFLICT,
        `Step type "${stepType.slug}" is already registered with a different definition; choose another slug or unregister the first.`,
        { details: { slug: stepType.slug } },
      );
    }
    this.#steps.set(stepType.slug, stepType);
    return stepType;
  }

  /** Removes a step type; true when it was there. */
  unregister(slug: string): boolean {
    return this.#steps.delete(slug);
  }

  /** The step type with this slug, or undefined. */
  get(slug: string): StepType | undefined {
    return this.#steps.get(slug);
  }

  /**
   * The step type with this slug.
   * @throws StepwiseError `STEP_TYPE_UNKNOWN`, naming the closest known slugs.
   */
  require(slug: string): StepType {
    const found = this.#steps.get(slug);
    if (found) return found;
    throw new StepwiseError(ErrorCode.STEP_TYPE_UNKNOWN, unknownStepTypeMessage(slug, this.slugs()), {
      details: { slug, suggestions: closest(slug, this.slugs()) },
    });
  }

  /** True when a step type with this slug is registered. */
  has(slug: string): boolean {
    return this.#steps.has(slug);
  }

  /** Every step type, sorted by slug. */
  list(): StepType[] {
    return [...this.#steps.values()].sort((a, b) => a.slug.localeCompare(b.slug));
  }

  /** Every slug, sorted. */
  slugs(): string[] {
    return [...this.#steps.keys()].sort();
  }

  /**
   * Adds a data type; returns it.
   * @throws StepwiseError `DATA_TYPE_CONFLICT` when the name is taken by another object.
   */
  registerDataType<T>(definition: DataTypeDefinition<T> | DataType<T>): DataType<T> {
    const type: DataType<T> = { ...definition, description: definition.description ?? '' };
    const existing = this.#dataTypes.get(type.name);
    if (existing) {
      if (existing.is === type.is) return existing as DataType<T>;
      throw new StepwiseError(ErrorCode.DATA_TYPE_CONFLICT, `Data type "${type.name}" is already registered.`);
    }
    this.#dataTypes.set(type.name, type as DataType);
    return type;
  }

  /** The data type with this name, or undefined. */
  dataType(name: string): DataType | undefined {
    return this.#dataTypes.get(name);
  }

  /**
   * The data type with this name.
   * @throws StepwiseError `DATA_TYPE_UNKNOWN`
   */
  requireDataType(name: string): DataType {
    const found = this.#dataTypes.get(name);
    if (found) return found;
    throw new StepwiseError(
      ErrorCode.DATA_TYPE_UNKNOWN,
      `Data type "${name}" is not registered; known: ${[...this.#dataTypes.keys()].join(', ')}.`,
    );
  }

  /** Every data type. */
  dataTypes(): DataType[] {
    return [...this.#dataTypes.values()];
  }

  /** The catalog as JSON: step types with their params as JSON Schema, and data types. */
  toJSON(): Catalog {
    return {
      stepTypes: this.list().map(describeStepType),
      dataTypes: this.dataTypes().map(({ name, description }) => ({ name, description })),
    };
  }
}

/** The catalog entry of one step type. */
export function describeStepType(type: StepType): StepTypeInfo {
  const defaults = type.params.safeParse({});
  return {
    slug: type.slug,
    name: type.name,
    description: type.description,
    inputType: type.inputType ?? null,
    inputs: { ...type.inputs },
    outputType: type.outputType,
    mode: type.mode,
    metadata: { ...type.metadata },
    params: z.toJSONSchema(type.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    defaults: defaults.success ? (defaults.data as Record<string, JsonValue>) : null,
  };
}

/** The message for an unknown slug, with the closest known ones. */
export function unknownStepTypeMessage(slug: string, known: string[]): string {
  return `Unknown step type ${JSON.stringify(slug)}.${didYouMean(slug, known)}`;
}

/**
 * A string that changes when a step type's definition does: its fields, params schema, and the
 * source of its function (a decorated method's own) and hooks.
 */
export function stepTypeFingerprint(type: StepType): string {
  const { fn, params, infer, files, ...rest } = type;
  let schema = '';
  try {
    schema = JSON.stringify(z.toJSONSchema(params, { unrepresentable: 'any' }));
  } catch {
    schema = opaqueSchemaId(params);
  }
  const hooks = `${infer?.toString() ?? ''}|${files?.toString() ?? ''}`;
  return `${JSON.stringify(rest)}|${schema}|${sourceFunction(fn).toString()}|${hooks}`;
}

const opaqueSchemas = new WeakMap<object, string>();
let opaqueSchemaCount = 0;
// differs between processes, so a file store's cache never matches another process's opaque schema
const opaqueSession = Math.random().toString(36).slice(2);

/**
 * An id for a params schema zod cannot describe as JSON Schema: the same schema object always gets
 * the same id (registering one definition twice is not a conflict), any other object another id
 * (so a cache never takes one such schema for another).
 */
function opaqueSchemaId(params: object): string {
  let id = opaqueSchemas.get(params);
  if (id === undefined) {
    opaqueSchemaCount += 1;
    id = `opaque-schema-${opaqueSession}-${opaqueSchemaCount}`;
    opaqueSchemas.set(params, id);
  }
  return id;
}
