import { z } from 'zod';
import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { defaultRegistry } from './default-registry.js';
import { recordFunctionSource } from './function-source.js';
import {
  SLUG_PATTERN,
  type StepFunction,
  type StepInput,
  type StepMode,
  type StepOutput,
  type StepType,
  type StepTypeDefinition,
} from './step-type.js';
import { checkParamsSchema } from './zod-version.js';

const MODES: readonly StepMode[] = ['batch', 'streaming', 'row_iterative'];

/** A TC39 method decorator that registers the decorated static method as a step type. */
export type StepTypeDecorator = (method: (...args: never[]) => unknown, context: ClassMethodDecoratorContext) => void;

/**
 * Registers a function as a step type and returns it; without a function, returns a decorator
 * for a static method that does the same.
 *
 * The function's input is typed from `inputType` and `mode` (a `JSON` step's is `JsonValue`). To
 * say more of what a step expects, annotate the input: its type must extend that one (a `type`
 * alias of JSON fields does; an `interface` does not, for it has no index signature). The
 * annotation is a promise of the step's author, not checked when the step runs.
 * @example
 * const double = stepType({ slug: 'double', inputType: 'JSON', outputType: 'JSON' }, (n) => Number(n) * 2);
 * type Order = { id: number; amount: number };
 * const total = stepType({ slug: 'total', inputType: 'JSON', outputType: 'JSON' }, (rows: Order[]) =>
 *   rows.reduce((sum, o) => sum + o.amount, 0),
 * );
 * @throws StepwiseError `STEP_TYPE_INVALID` for a bad slug, mode or params, `ZOD_VERSION_UNSUPPORTED` for a
 * zod 3 params schema, `STEP_TYPE_CONFLICT` when the slug is already registered with another definition.
 */
export function stepType<
  P extends z.ZodType = z.ZodObject<Record<string, never>, z.core.$strict>,
  I extends string | undefined = undefined,
  O extends string = string,
  M extends StepMode = 'batch',
  In extends StepInput<M, I> = StepInput<M, I>,
>(
  definition: StepTypeDefinition<P, I, O, M>,
  fn: StepFunction<In, z.output<P>, StepOutput<M, O>>,
): StepType<P, I, O, M>;
export function stepType<
  P extends z.ZodType = z.ZodObject<Record<string, never>, z.core.$strict>,
  I extends string | undefined = undefined,
  O extends string = string,
  M extends StepMode = 'batch',
>(definition: StepTypeDefinition<P, I, O, M>): StepTypeDecorator;
export function stepType(
  definition: StepTypeDefinition,
  fn?: StepFunction<never, never, unknown>,
): StepType | StepTypeDecorator {
  if (fn !== undefined) return (definition.registry ?? defaultRegistry).register(createStepType(definition, fn));
  return (method, context) => {
    if (context.kind !== 'method' || !context.static) {
      throw new StepwiseError(
        ErrorCode.STEP_TYPE_INVALID,
        `@stepType("${definition.slug}") decorates static methods only; make ${String(context.name)} static.`,
      );
    }
    context.addInitializer(function (this: unknown) {
      const bound = (method as (...args: unknown[]) => unknown).bind(this);
      // a bound function's source reads `[native code]`: the fingerprint must see the method's own
      recordFunctionSource(bound, method);
      (definition.registry ?? defaultRegistry).register(createStepType(definition, bound));
    });
  };
}

/**
 * Normalises a definition and a function into a {@link StepType} without registering it.
 * @throws StepwiseError `STEP_TYPE_INVALID`, `ZOD_VERSION_UNSUPPORTED`
 */
export function createStepType(definition: StepTypeDefinition, fn: (...args: never[]) => unknown): StepType {
  const { slug } = definition;
  if (typeof slug !== 'string' || !SLUG_PATTERN.test(slug)) {
    throw new StepwiseError(
      ErrorCode.STEP_TYPE_INVALID,
      `Step type slug ${JSON.stringify(slug)} is invalid: expected lower case letters, digits and underscores, starting with a letter (/^[a-z][a-z0-9_]*$/).`,
    );
  }
  const mode = definition.mode ?? 'batch';
  if (!MODES.includes(mode)) {
    throw new StepwiseError(
      ErrorCode.STEP_TYPE_INVALID,
      `Step type "${slug}": mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}.`,
    );
  }
  if (typeof fn !== 'function') {
    throw new StepwiseError(ErrorCode.STEP_TYPE_INVALID, `Step type "${slug}" needs a function.`);
  }
  if (definition.params !== undefined) checkParamsSchema(slug, definition.params);
  if (mode === 'row_iterative' && definition.inputType === undefined) {
    throw new StepwiseError(
      ErrorCode.STEP_TYPE_INVALID,
      `Step type "${slug}" is row_iterative, so it needs an inputType to iterate over.`,
    );
  }
  return Object.freeze({
    slug,
    name: definition.name ?? humanise(slug),
    description: definition.description ?? '',
    params: definition.params ?? z.strictObject({}),
    inputType: definition.inputType,
    inputs: Object.freeze({ ...(definition.inputs ?? {}) }),
    outputType: definition.outputType,
    mode,
    metadata: Object.freeze({ ...(definition.metadata ?? {}) }),
    ...(definition.infer ? { infer: definition.infer as NonNullable<StepType['infer']> } : {}),
    cacheable: definition.cacheable !== false,
    ...(definition.files ? { files: definition.files as NonNullable<StepType['files']> } : {}),
    ...(definition.lazyInput === true ? { lazyInput: true } : {}),
    ...(definition.wholeStream === true ? { wholeStream: true } : {}),
    fn: fn as StepType['fn'],
  });
}

function humanise(slug: string): string {
  const words = slug.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
