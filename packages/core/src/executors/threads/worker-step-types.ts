import { createHash } from 'node:crypto';
import { importModule, prepareImports } from '../../config/import-module.js';
import { ErrorCode } from '../../errors/codes.js';
import { StepwiseError } from '../../errors/stepwise-error.js';
import type { DataType, DataTypeLookup } from '../../registry/data-type.js';
import { defaultRegistry } from '../../registry/default-registry.js';
import { StepRegistry } from '../../registry/step-registry.js';
import type { StepType } from '../../registry/step-type.js';

/** A step type found for a task, and where its data types are looked up. */
export interface Resolved {
  stepType: StepType;
  dataTypes: DataTypeLookup;
}

const loaded = new Map<string, Promise<Record<string, unknown>>>();
const sources = new WeakMap<StepType, string>();

/**
 * A short hash of a step type's function source: the runner sends it so that the worker picks the
 * same definition when two registries hold a step type of one slug.
 */
export function sourceHash(stepType: StepType): string {
  let hash = sources.get(stepType);
  if (hash === undefined) {
    hash = createHash('sha256').update(String(stepType.fn)).digest('base64url').slice(0, 16);
    sources.set(stepType, hash);
  }
  return hash;
}

/** The data types a step reads and makes: its inputs' and its output's (whose `load` comes first). */
export function stepTypeNames(stepType: StepType): (string | undefined)[] {
  return [stepType.inputType, stepType.outputType, ...Object.values(stepType.inputs)];
}

const prepared = new Map<string, Promise<void>>();

/**
 * Readies a task's step modules once per thread, as the main thread's loading does: when one needs
 * tsx, tsx loads them all, so a listed module that another listed module imports is one module, not
 * a compiled copy beside tsx's (whose step types would register twice). A failure here is left to
 * {@link load}, which names the module.
 */
function prepare(specifiers: readonly string[], root: string): Promise<void> {
  const key = `${root}\0${specifiers.join('\0')}`;
  let ready = prepared.get(key);
  if (ready === undefined) {
    ready = prepareImports(specifiers, root).catch(() => undefined);
    prepared.set(key, ready);
  }
  return ready;
}

/**
 * Imports a step module once per thread.
 * @throws StepwiseError `CONFIG_LOAD_FAILED` naming the module (not retried: it fails the same way again)
 */
function load(specifier: string, root: string): Promise<Record<string, unknown>> {
  const key = `${root}\0${specifier}`;
  let module = loaded.get(key);
  if (module === undefined) {
    module = importModule(specifier, root).catch((cause: unknown) => {
      throw new StepwiseError(
        ErrorCode.CONFIG_LOAD_FAILED,
        `Worker thread: could not load step module ${specifier}: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause, details: { module: specifier } },
      );
    });
    loaded.set(key, module);
  }
  return module;
}

/**
 * The step type of a task, resolved the way the runner resolved it: among the step types of the
 * default registry, of every registry the step modules export, and the step types they export,
 * the one with the task's slug (and, when several have it, the same function source).
 * @throws StepwiseError `STEP_TYPE_UNKNOWN` naming the modules; `CONFIG_LOAD_FAILED`
 */
export async function findStepType(request: {
  modules: string[];
  root: string;
  slug: string;
  source: string;
}): Promise<Resolved> {
  await prepare(request.modules, request.root);
  const modules = await Promise.all(request.modules.map((specifier) => load(specifier, request.root)));
  const registries = [defaultRegistry, ...modules.flatMap((module) => exported(module, StepRegistry))];
  const candidates: { stepType: StepType; registry: StepRegistry | undefined }[] = [];
  for (const registry of registries) {
    const stepType = registry.get(request.slug);
    if (stepType !== undefined) candidates.push({ stepType, registry });
  }
  for (const module of modules)
    for (const value of Object.values(module))
      if (isStepType(value) && value.slug === request.slug) candidates.push({ stepType: value, registry: undefined });
  const found = candidates.find((c) => sourceHash(c.stepType) === request.source) ?? candidates[0];
  if (found === undefined)
    throw new StepwiseError(
      ErrorCode.STEP_TYPE_UNKNOWN,
      `Worker thread: step type "${request.slug}" is in none of the step modules [${request.modules.join(', ')}]; ` +
        'list its module in stepwise.config.ts (steps) or in new WorkflowRunner({ stepModules }), and export the ' +
        'step type or the registry it is registered in.',
      { details: { slug: request.slug } },
    );
  return { stepType: found.stepType, dataTypes: lookupOver([found.registry, ...registries]) };
}

function exported<T>(module: Record<string, unknown>, type: abstract new (...args: never[]) => T): T[] {
  return Object.values(module).filter((value): value is T => value instanceof type);
}

function isStepType(value: unknown): value is StepType {
  const candidate = value as Partial<StepType> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.slug === 'string' &&
    typeof candidate.fn === 'function'
  );
}

/** Data types by name from the first registry that has them. */
function lookupOver(registries: (StepRegistry | undefined)[]): DataTypeLookup {
  const present = registries.filter((registry): registry is StepRegistry => registry !== undefined);
  const dataType = (name: string): DataType | undefined => {
    for (const registry of present) {
      const type = registry.dataType(name);
      if (type !== undefined) return type;
    }
    return undefined;
  };
  return {
    dataType,
    requireDataType: (name) => dataType(name) ?? defaultRegistry.requireDataType(name),
  };
}
