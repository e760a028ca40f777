import type { Logger } from 'pino';
import { StepwiseError } from '../errors/stepwise-error.js';
import type { StepExecutor } from '../executors/executor.js';
import type { StepRun } from '../model/run.js';
import { RunnerErrorCode } from './codes.js';
import type { RunEvents } from './events.js';
import { type ModeEnvironment, type ModeRunner, modeRunnerFor } from './modes/index.js';
import type { ChunkStream } from './modes/streaming.js';
import { fusedStreamingSteps } from './modes/streaming-fusion.js';
import type { PlannedStep, RuntimeContext } from './plan.js';
import type { Run } from './run.js';

/** Where one named input of a step comes from, resolved once per run. */
export interface InputSource {
  readonly name: string;
  /** The producing step, whose output ref is read when the step starts. */
  readonly step: PreparedStep | undefined;
  /** A fixed ref (a workflow input or a `{ ref }` reference). */
  readonly ref: string | undefined;
}

/** A planned step with everything the hot path needs looked up once per run. */
export interface PreparedStep {
  readonly id: string;
  readonly planned: PlannedStep;
  /** The step's entry in `run.steps`, updated in place. */
  state: StepRun;
  readonly deps: PreparedStep[];
  readonly dependents: PreparedStep[];
  sources: InputSource[];
  readonly mode: ModeRunner;
  readonly env: ModeEnvironment;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly timeoutMs: number | undefined;
  /** Dependencies not completed yet (the concurrent scheduler's counter). */
  waiting: number;
  /** Rows of the last output, when it was an array and someone listens. */
  rows: number | undefined;
  /** A fused streaming step's lazy output, read by its one consumer instead of a ref. */
  stream?: ChunkStream;
}

/** The state of one execution of a run (a first run or a resume). */
export interface Execution {
  readonly run: Run;
  readonly context: RuntimeContext;
  /** Aborted when the caller's signal aborts; every step's `ctx.signal` without a timeout. */
  readonly signal: AbortSignal;
  /** False when no signal was given: nothing can cancel, so results are awaited directly. */
  readonly cancellable: boolean;
  /** Rejecters of the attempts in flight, called at once on cancellation. */
  readonly inFlight: Set<(reason: unknown) => void>;
  readonly events: RunEvents;
  /** The runner's logger with `runId` bound. */
  readonly logger: Logger;
}

/** Chooses the executor for a step; throws `EXECUTOR_UNAVAILABLE` for an unknown explicit choice. */
export type ExecutorLookup = (step: PlannedStep) => StepExecutor;

/**
 * Looks everything up once: dependencies as objects, data types, executor and mode runner.
 * Input sources are bound later by {@link bindSources}, when the workflow inputs are known.
 */
export function prepareSteps(run: Run, chooseExecutor: ExecutorLookup): PreparedStep[] {
  const byId = new Map<string, PreparedStep>();
  const prepared: PreparedStep[] = [];
  const fused = fusedStreamingSteps(run.plan);
  for (const planned of run.plan.steps) {
    const step = prepareStep(run, planned, chooseExecutor, fused.has(planned.id));
    for (const id of planned.dependsOn) {
      const dep = byId.get(id);
      if (dep === undefined) continue;
      step.deps.push(dep);
      dep.dependents.push(step);
    }
    byId.set(planned.id, step);
    prepared.push(step);
  }
  return prepared;
}

function prepareStep(run: Run, planned: PlannedStep, chooseExecutor: ExecutorLookup, fuse: boolean): PreparedStep {
  const { stepType, strategy } = planned;
  const registry = run.plan.registry;
  let mode = modeRunnerFor(stepType.mode);
  let env: ModeEnvironment;
  try {
    const inputType = stepType.inputType === undefined ? undefined : registry.requireDataType(stepType.inputType);
    env = {
      executor: chooseExecutor(planned),
      registry,
      inputType,
      outputType: registry.requireDataType(stepType.outputType),
      fuse,
    };
  } catch (thrown) {
    // A step that cannot be set up fails when it would run, like any other failure.
    const error = thrown;
    mode = () => {
      throw error;
    };
    env = undefined as unknown as ModeEnvironment;
  }
  return {
    id: planned.id,
    planned,
    state: run.steps.get(planned.id) ?? { id: planned.id, status: 'pending', attempts: 0 },
    deps: [],
    dependents: [],
    sources: [],
    mode,
    env,
    retries: nonNegative(strategy.retries, 0),
    retryDelayMs: nonNegative(strategy.retryDelayMs, 100),
    timeoutMs: strategy.timeoutMs !== undefined && strategy.timeoutMs > 0 ? strategy.timeoutMs : undefined,
    waiting: 0,
    rows: undefined,
  };
}

/** Resolves each step's input references to a producing step or a fixed ref. */
export function bindSources(prepared: PreparedStep[], inputs: Record<string, string>): void {
  const byId = new Map(prepared.map((step) => [step.id, step]));
  for (const step of prepared) {
    step.sources = Object.entries(step.planned.inputs).map(([name, reference]) => {
      if ('step' in reference) return { name, step: byId.get(reference.step), ref: undefined };
      if ('input' in reference) return { name, step: undefined, ref: inputs[reference.input] };
      return { name, step: undefined, ref: reference.ref };
    });
  }
}

/** An executor lookup over the runner's executors by kind. */
export function executorLookup(executors: ReadonlyMap<string, StepExecutor>): ExecutorLookup {
  return (step) => {
    const wanted = step.strategy.executor;
    const implicit = (step.strategy.workers ?? 1) > 1 && executors.has('threads') ? 'threads' : 'inline';
    const kind = wanted ?? implicit;
    const executor = executors.get(kind);
    if (executor !== undefined) return executor;
    throw new StepwiseError(
      RunnerErrorCode.EXECUTOR_UNAVAILABLE,
      `Step "${step.id}" asks for executor "${kind}", but this runner has only ${[...executors.keys()].join(', ')}. ` +
        `Pass one to new WorkflowRunner({ executors }) or remove strategy.executor.`,
      { details: { stepId: step.id, executor: kind } },
    );
  };
}

function nonNegative(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 0 ? value : fallback;
}
