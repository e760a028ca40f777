/**
 * The worker-thread side of the threads executor (piscina loads this file). It imports the
 * project's step modules, finds the step type by slug, reads the task's inputs (by ref from the
 * store when the runner's store is one a thread can open), runs one unit, reports logs and progress
 * on the task's port, and answers with plain data. Step functions never cross threads: only slugs,
 * params, refs and data do.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { FileValueStore } from '../../context/file/file-values.js';
import { toStepError } from '../../errors/stepwise-error.js';
import { type DataType, loadDataTypes } from '../../registry/data-type.js';
import type { StepContext } from '../../registry/step-type.js';
import { runUnit } from '../../units/run-unit.js';
import { taskStepContext } from '../task-context.js';
import { pack, type ThreadAnswer, type ThreadReport, type ThreadRequest, unpack } from './thread-protocol.js';
import { findStepType, type Resolved, stepTypeNames } from './worker-step-types.js';

/** File stores this thread opened, by directory. */
const stores = new Map<string, FileValueStore>();

/** Runs one {@link ThreadRequest}; answers failures as data, never by throwing. */
export async function runThreadTask(request: ThreadRequest): Promise<ThreadAnswer | object> {
  try {
    const resolved = await findStepType(request);
    // the libraries of the data types this task decodes, runs over and encodes load first, once per thread
    const loading = loadDataTypes(resolved.dataTypes, [...stepTypeNames(resolved.stepType), ...packedTypes(request)]);
    if (loading !== undefined) await loading;
    const inputs = readInputs(request, resolved);
    const output = await runUnit(resolved.stepType, inputs.input, request.params, workerContext(request, inputs));
    const transfer: ArrayBuffer[] = [];
    const { stepType } = resolved;
    const type = stepType.mode === 'row_iterative' ? undefined : resolved.dataTypes.dataType(stepType.outputType);
    const answer: ThreadAnswer = {
      type: 'result',
      task: request.task,
      output: pack(output, type, stepType.mode !== 'batch', transfer),
    };
    // moves the output's buffers to the runner's thread instead of copying them
    return transfer.length === 0 ? answer : move({ [transferableSymbol]: transfer, [valueSymbol]: answer } as never);
  } catch (thrown) {
    return { type: 'error', task: request.task, error: toStepError(thrown) } satisfies ThreadAnswer;
  } finally {
    request.port.close();
  }
}

/** The data types the packed inputs travel as (a step typed `Any` may receive a DataFrame). */
function packedTypes(request: ThreadRequest): string[] {
  return Object.values(request.inputs).flatMap((packed) => (packed.kind === 'encoded' ? [packed.type] : []));
}

/** Every input's value: unpacked, or read by ref from the runner's file store. */
function readInputs(request: ThreadRequest, resolved: Resolved): Record<string, unknown> {
  const lookup = (name: string): DataType => resolved.dataTypes.requireDataType(name);
  const readRef = request.store === undefined ? undefined : storeFor(request.store.dir, resolved);
  const inputs: Record<string, unknown> = {};
  for (const [name, packed] of Object.entries(request.inputs)) {
    // rows to map stay a Float64Array when they are all numbers: mapping them needs no array copy
    const numbersAsView = name === 'input' && request.mode === 'row_iterative';
    inputs[name] = unpack(packed, lookup, { numbersAsView, ...(readRef === undefined ? {} : { readRef }) });
  }
  return inputs;
}

function storeFor(dir: string, resolved: Resolved): (ref: string) => unknown {
  let store = stores.get(dir);
  if (store === undefined) {
    store = new FileValueStore(dir);
    stores.set(dir, store);
  }
  store.bind(resolved.dataTypes);
  const opened = store;
  return (ref) => opened.read(ref);
}

/** The step's `ctx`: logs and progress go back on the task's port, as {@link ThreadReport} messages. */
function workerContext(request: ThreadRequest, inputs: Record<string, unknown>): StepContext {
  const send = (message: ThreadReport): void => request.port.postMessage(message);
  return taskStepContext(
    {
      runId: request.runId,
      stepId: request.stepId,
      attempt: request.attempt,
      // The runner aborts by terminating this thread, so the signal here never fires.
      signal: new AbortController().signal,
      report: {
        log: (level, message, fields) =>
          send(
            fields === undefined
              ? { type: 'log', task: request.task, level, message }
              : { type: 'log', task: request.task, level, message, fields: cloneable(fields) },
          ),
        progress: (done, total) =>
          send(
            total === undefined
              ? { type: 'progress', task: request.task, done }
              : { type: 'progress', task: request.task, done, total },
          ),
      },
    },
    inputs,
  );
}

/** Log fields as plain JSON: a function or a class instance in them must not make the step fail. */
function cloneable(fields: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
  } catch {
    return {};
  }
}
