import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { ExecutorFactory, ExecutorSetup, StepExecutor, StepTask } from '../executors/executor.js';
import { fingerprintOf } from '../keys/fingerprint.js';
import type { StepKeys } from '../keys/step-keys.js';
import type { Logger } from '../logger.js';
import type { MaybePromise } from '../maybe-promise.js';
import type { StepRun } from '../model/run.js';
import type { DataType } from '../registry/data-type.js';
import type { Checkpoint } from './checkpoint.js';
import type { EarlierRun } from './earlier-run.js';
import type { RunEvents } from './events.js';
import { type ModeEnvironment, modeRunnerFor } from './modes/index.js';
import type { ChunkStream } from './modes/streaming.js';
import { fusedStreamingSteps } from './modes/streaming-fusion.js';
import type { PlannedStep, RuntimeContext, Store, WorkflowPlan } from './plan.js';
import type { Run } from './run.js';

/** Where one named input of a step comes from. */
export interface InputSource {
  readonly name: string;
  /** The producing step's index, whose output ref is read when the step starts; -1 for none. */
  readonly step: number;
  /** The workflow input whose ref is read from the run's inputs. */
  readonly input: string | undefined;
  /** A fixed ref (a `{ ref }` reference). */
  readonly ref: string | undefined;
}

/**
 * A planned step with everything the hot path needs looked up once per plan (and runner): it
 * holds no run state, so every run of an unchanged workflow reuses it.
 */
export interface PreparedStep {
  readonly id: string;
  /** Position in the plan, and in {@link Execution.states}. */
  readonly index: number;
  readonly planned: PlannedStep;
  readonly deps: PreparedStep[];
  readonly dependents: PreparedStep[];
  readonly sources: InputSource[];
  /** Runs one attempt: the step's mode runner on its environment (or throws why the step could not be set up). */
  readonly run: (task: StepTask) => MaybePromise<unknown>;
  /** Undefined for a step that could not be set up. */
  readonly env: ModeEnvironment | undefined;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly timeoutMs: number | undefined;
  /**
   * False for a step whose output is never stored (a fused stream's producer or reader) or that
   * could not be set up: it has no key, so it is never reused or cached.
   */
  readonly keyable: boolean;
  /** `strategy.cache` is on, the step is keyable and its type cacheable. */
  readonly cache: boolean;
  /** Its step type tells the files it reads (a `files` hook): they are identified before it runs. */
  readonly reads: boolean;
  /**
   * By source (as {@link sources}), the data type that materializes a lazy value of that input
   * before the step reads it; empty when no input can be lazy or the step takes them as they are.
   */
  readonly materializers: (DataType | undefined)[];
  /** The output is materialized before it is stored (`strategy.cache`: the entry saves the work). */
  readonly materializeOutput: DataType | undefined;
}

/** A plan prepared for execution: its steps, the workflow inputs it reads, its step types' fingerprints. */
export interface PreparedPlan {
  readonly steps: PreparedStep[];
  readonly inputNames: string[];
  /** Each step type's fingerprint by slug, as a run's record keeps them. */
  readonly fingerprints: Record<string, string>;
}

/** The state of one execution of a run (a first run or a resume). */
export interface Execution {
  readonly run: Run;
  /** Each step's entry in `run.steps`, by step index, updated in place. */
  readonly states: StepRun[];
  /** Fused streaming steps' lazy outputs, by step index, read by their one consumer instead of a ref. */
  readonly streams: (ChunkStream | undefined)[];
  readonly context: RuntimeContext<Store>;
  /** Aborted when the caller's signal aborts; every step's `ctx.signal` without a timeout. */
  readonly signal: AbortSignal;
  /** False when no signal was given: nothing can cancel, so results are awaited directly. */
  readonly cancellable: boolean;
  /** Rejecters of the attempts in flight, called at once on cancellation. */
  readonly inFlight: Set<(reason: unknown) => void>;
  readonly events: RunEvents;
  /** The plan's prepared steps, by index. */
  readonly prepared: readonly PreparedStep[];
  /** Writes the run's record and journal as steps change state. */
  readonly checkpoint: Checkpoint;
  /** The steps' keys, made on first use (cached steps, resumes). */
  keys: StepKeys | undefined;
  /** The run a resume continues: its completed steps are kept while their keys are unchanged. */
  readonly earlier: EarlierRun | undefined;
  /** The runner's logger with `runId` bound. */
  readonly logger: Logger;
}

/** Chooses the executor for a step; throws `EXECUTOR_UNAVAILABLE` for an unknown explicit choice. */
export type ExecutorLookup = (step: PlannedStep) => StepExecutor;

/** Looks everything up once: dependencies as objects, input sources, data types, executor and mode runner. */
export function preparePlan(plan: WorkflowPlan, chooseExecutor: ExecutorLookup): PreparedPlan {
  const indexOf = new Map(plan.steps.map((step, index) => [step.id, index]));
  const fused = fusedStreamingSteps(plan);
  const steps: PreparedStep[] = [];
  const inputNames = new Set(Object.keys(plan.inputs));
  const fingerprints: Record<string, string> = {};
  for (const planned of plan.steps) {
    const { stepType } = planned;
    fingerprints[stepType.slug] ??= fingerprintOf(stepType);
    const step = prepareStep(plan, planned, chooseExecutor, fused.has(planned.id));
    for (const id of planned.dependsOn) {
      const dep = steps[indexOf.get(id) ?? -1];
      if (dep === undefined) continue;
      step.deps.push(dep);
      dep.dependents.push(step);
    }
    for (const [name, reference] of Object.entries(planned.inputs)) {
      if ('step' in reference)
        step.sources.push({ name, step: indexOf.get(reference.step) ?? -1, input: undefined, ref: undefined });
      else if ('input' in reference) {
        step.sources.push({ name, step: -1, input: reference.input, ref: undefined });
        inputNames.add(reference.input);
      } else step.sources.push({ name, step: -1, input: undefined, ref: reference.ref });
    }
    step.keyable = keyable(step, steps);
    step.cache = step.keyable && planned.strategy.cache === true && stepType.cacheable;
    step.materializers = materializers(plan, step, steps);
    const outputType = plan.registry.dataType(stepType.outputType);
    step.materializeOutput = step.cache && outputType?.materialize !== undefined ? outputType : undefined;
    steps.push(step);
  }
  for (const reference of Object.values(plan.outputs)) if ('input' in reference) inputNames.add(reference.input);
  return { steps, inputNames: [...inputNames], fingerprints };
}

/** False for a step that could not be set up, and for a fused stream's producer or reader (no ref). */
function keyable(step: PreparedStep, earlier: readonly PreparedStep[]): boolean {
  if (step.env === undefined || step.env.fuse === true) return false;
  return !step.sources.some((source) => earlier[source.step]?.env?.fuse === true);
}

/**
 * The data types that materialize the step's lazy inputs: none for a step that takes lazy input as
 * it is (`lazyInput`), unless its cache or workers need the whole value. An input's data type is its
 * producer's output type (the value's own), else the type the step declares for it.
 */
function materializers(plan: WorkflowPlan, step: Building, earlier: readonly PreparedStep[]): (DataType | undefined)[] {
  const { stepType, strategy } = step.planned;
  if (stepType.lazyInput === true && !step.cache && (strategy.workers ?? 1) <= 1) return [];
  const types = step.sources.map((source) => {
    const producer = earlier[source.step]?.planned.stepType.outputType;
    const name = producer ?? (source.name === 'input' ? stepType.inputType : stepType.inputs[source.name]);
    const type = name === undefined ? undefined : plan.registry.dataType(name);
    return type?.materialize === undefined ? undefined : type;
  });
  return types.some((type) => type !== undefined) ? types : [];
}

/** A prepared step while {@link preparePlan} fills in its links and key flags. */
type Building = PreparedStep & {
  deps: PreparedStep[];
  sources: InputSource[];
  keyable: boolean;
  cache: boolean;
  materializers: (DataType | undefined)[];
  materializeOutput: DataType | undefined;
};

function prepareStep(
  plan: WorkflowPlan,
  planned: PlannedStep,
  chooseExecutor: ExecutorLookup,
  fuse: boolean,
): Building {
  const { stepType, strategy } = planned;
  const registry = plan.registry;
  const mode = modeRunnerFor(stepType.mode);
  let env: ModeEnvironment | undefined;
  let run: (task: StepTask) => MaybePromise<unknown>;
  try {
    const inputType = stepType.inputType === undefined ? undefined : registry.requireDataType(stepType.inputType);
    const outputType = registry.requireDataType(stepType.outputType);
    const ready: ModeEnvironment = { executor: chooseExecutor(planned), registry, inputType, outputType, fuse };
    env = ready;
    run = (task) => mode(task, ready);
  } catch (thrown) {
    // A step that cannot be set up fails when it would run, like any other failure.
    run = () => {
      throw thrown;
    };
  }
  return {
    id: planned.id,
    index: planned.index,
    planned,
    deps: [],
    dependents: [],
    sources: [],
    run,
    env,
    retries: nonNegative(strategy.retries, 0),
    retryDelayMs: nonNegative(strategy.retryDelayMs, 100),
    timeoutMs: strategy.timeoutMs !== undefined && strategy.timeoutMs > 0 ? strategy.timeoutMs : undefined,
    keyable: false,
    cache: false,
    reads: stepType.files !== undefined,
    materializers: [],
    materializeOutput: undefined,
  };
}

/**
 * An executor lookup that makes each executor from its factory when a step first chooses it: a
 * step's `strategy.executor`, else `threads` for `workers > 1` (when there is a threads factory),
 * else `inline`.
 */
export function executorLookup(
  factories: ReadonlyMap<string, ExecutorFactory>,
  made: Map<string, StepExecutor>,
  setup: ExecutorSetup,
): ExecutorLookup {
  return (step) => {
    const wanted = step.strategy.executor;
    const implicit = (step.strategy.workers ?? 1) > 1 && factories.has('threads') ? 'threads' : 'inline';
    const kind = wanted ?? implicit;
    const existing = made.get(kind);
    if (existing !== undefined) return existing;
    const factory = factories.get(kind);
    if (factory === undefined)
      throw new StepwiseError(
        ErrorCode.EXECUTOR_UNAVAILABLE,
        `Step "${step.id}" asks for executor "${kind}", but this runner has only ${[...factories.keys()].join(', ')}. ` +
          'Give it one with new WorkflowRunner({ executors: { <kind>: factory } }) or remove strategy.executor.',
        { details: { stepId: step.id, executor: kind } },
      );
    const executor = factory(setup);
    made.set(kind, executor);
    return executor;
  };
}

function nonNegative(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** The run state of `step` in this execution. */
export function stateOf(exec: Execution, step: PreparedStep): StepRun {
  return exec.states[step.index] as StepRun;
}
