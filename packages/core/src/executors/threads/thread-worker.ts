/**
 * The worker-thread side of the threads executor (piscina loads this file). It imports the
 * project's step modules, looks the step type up by slug, runs one unit and answers with plain
 * data. Step functions never cross threads: only slugs, params and data do.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { importModule } from '../../config/import-module.js';
import { ErrorCode } from '../../errors/codes.js';
import { StepwiseError, toStepError } from '../../errors/stepwise-error.js';
import { defaultRegistry } from '../../registry/default-registry.js';
import type { StepContext, StepLogger, StepType } from '../../registry/step-type.js';
import { runUnit } from './run-unit.js';
import { pack, type ThreadAnswer, type ThreadRequest, unpack } from './thread-protocol.js';

const loaded = new Map<string, Promise<Record<string, unknown>>>();

function load(specifier: string, root: string): Promise<Record<string, unknown>> {
  const key = `${root}\0${specifier}`;
  let module = loaded.get(key);
  if (module === undefined) {
    module = importModule(specifier, root);
    loaded.set(key, module);
  }
  return module;
}

/** The step type: from the default registry, else among the modules' exports (a custom registry). */
async function findStepType(request: ThreadRequest): Promise<StepType> {
  const modules = await Promise.all(request.modules.map((specifier) => load(specifier, request.root)));
  const registered = defaultRegistry.get(request.slug);
  if (registered) return registered;
  for (const module of modules) {
    for (const value of Object.values(module)) {
      const candidate = value as Partial<StepType> | null;
      if (
        candidate &&
        typeof candidate === 'object' &&
        candidate.slug === request.slug &&
        typeof candidate.fn === 'function'
      )
        return candidate as StepType;
    }
  }
  throw new StepwiseError(
    ErrorCode.STEP_TYPE_UNKNOWN,
    `Worker thread: step type "${request.slug}" is in none of the step modules [${request.modules.join(', ')}]; list its module in stepwise.config.ts (steps) or in new WorkflowRunner({ stepModules }).`,
    { details: { slug: request.slug } },
  );
}

const silent = (): void => {};
const quietLog: StepLogger = { debug: silent, info: silent, warn: silent, error: silent };

function workerContext(request: ThreadRequest, input: unknown): StepContext {
  return {
    // The runner aborts by terminating this thread, so the signal here never fires.
    signal: new AbortController().signal,
    log: quietLog,
    progress: silent,
    inputs: { ...request.inputs, input },
    runId: request.runId,
    stepId: request.stepId,
    attempt: request.attempt,
  };
}

/** Runs one {@link ThreadRequest}; answers failures as data, never by throwing. */
export async function runThreadTask(request: ThreadRequest): Promise<ThreadAnswer | object> {
  try {
    const stepType = await findStepType(request);
    const lookup = (name: string) => defaultRegistry.requireDataType(name);
    const input = unpack(request.input, lookup, request.mode === 'row_iterative');
    const output = await runUnit(stepType, input, request.params, workerContext(request, input));
    const transfer: ArrayBuffer[] = [];
    const type = stepType.mode === 'row_iterative' ? undefined : defaultRegistry.dataType(stepType.outputType);
    const packed = pack(output, type, stepType.mode !== 'batch', transfer);
    const answer: ThreadAnswer = { ok: true, output: packed };
    // moves the output's buffers to the runner's thread instead of copying them
    return transfer.length === 0 ? answer : move({ [transferableSymbol]: transfer, [valueSymbol]: answer } as never);
  } catch (thrown) {
    return { ok: false, error: toStepError(thrown) };
  }
}
