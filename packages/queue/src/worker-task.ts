import type { FileValueStore } from '@stepwise/core';
import {
  findStepType,
  type Logger,
  type PlannedStep,
  pack,
  type RuntimeContext,
  type StepRegistry,
  type StepTask,
  type Store,
  type TaskReporter,
  type ThreadsExecutor,
} from '@stepwise/core';
import { type JobOutput, outputOf, type QueueJobData, readStaged } from './job-protocol.js';

/** What a worker runs a job with. */
export interface WorkerTaskEnv {
  stepModules: readonly string[];
  root: string;
  /** The shared store's context: refs in it are read on the worker's threads. */
  context: RuntimeContext<Store>;
  values: FileValueStore;
  threads: ThreadsExecutor;
  logger: Logger;
}

/**
 * Runs one job's unit on the worker's threads (so a busy step never starves BullMQ's lock renewal
 * on this process's event loop) and answers its output (inline when small, else staged in the shared store).
 * @throws StepwiseError the step's own error, `STEP_TYPE_UNKNOWN`, `CONFIG_LOAD_FAILED`, `WORKER_EXITED`, ...
 */
export async function runJob(
  data: QueueJobData,
  env: WorkerTaskEnv,
  signal: AbortSignal,
  report: TaskReporter,
): Promise<JobOutput> {
  const resolved = await findStepType({
    modules: [...env.stepModules],
    root: env.root,
    slug: data.slug,
    source: data.source,
  });
  const { stepType, dataTypes } = resolved;
  const inputs: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(data.inputs)) {
    if (input.kind === 'ref') inputs[name] = input.ref;
    else {
      const numbersAsView = name === 'input' && stepType.mode === 'row_iterative';
      values[name] = readStaged(env.values, input.ref, (type) => dataTypes.requireDataType(type), { numbersAsView });
    }
  }
  const step: PlannedStep = {
    index: 0,
    id: data.stepId,
    stepType,
    config: {},
    params: data.params,
    inputs: {},
    dependsOn: [],
    strategy: {},
  };
  const task: StepTask = {
    runId: data.runId,
    stepId: data.stepId,
    attempt: data.attempt,
    step,
    stepType,
    params: data.params,
    inputs,
    values,
    context: env.context,
    // the threads executor looks up only data types in it: those of the step type's own registries
    registry: dataTypes as unknown as StepRegistry,
    signal,
    report,
  };
  const output = await env.threads.execute(task);
  const type = stepType.mode === 'row_iterative' ? undefined : dataTypes.dataType(stepType.outputType);
  return outputOf(env.values, pack(output, type, stepType.mode !== 'batch', []), {
    runId: data.runId,
    stepId: data.stepId,
  });
}
