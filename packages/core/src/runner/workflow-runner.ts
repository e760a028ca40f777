import { setMaxListeners } from 'node:events';
import { ErrorCode } from '../errors/codes.js';
import { type StepErrorInfo, StepwiseError, toStepError } from '../errors/stepwise-error.js';
import { builtInExecutors } from '../executors/built-in.js';
import type { ExecutorFactory, StepExecutor } from '../executors/executor.js';
import { type Logger, silentLogger } from '../logger.js';
import type { RunEvent, RunRecord } from '../model/run.js';
import { defaultRegistry } from '../registry/default-registry.js';
import type { StepRegistry } from '../registry/step-registry.js';
import { claimLocalRun, releaseLocalRun } from '../runs/owner.js';
import { Checkpoint } from './checkpoint.js';
import { RunEvents } from './events.js';
import { type Execution, type ExecutorLookup, executorLookup, type PreparedPlan, preparePlan } from './execution.js';
import { checkInputs, finishRun, resetForResume, startRecord } from './lifecycle.js';
import { assertRunId, RuntimeContext, type Store, valuesFirst, type Workflow, type WorkflowPlan } from './plan.js';
import { resumeTarget } from './resume-target.js';
import { newRunId, Run } from './run.js';
import { type EarlierRun, earlierRun } from './run-keys.js';
import { earlierRecord, type PlanOptions, planRun, type RunPlan } from './run-plan.js';
import { cancelPending, failUnexpectedly, runConcurrent, runSequential } from './schedule.js';

/** Options of {@link WorkflowRunner.run}. */
export interface RunOptions {
  /** Where step outputs go; a new in-memory context when left out. */
  context?: RuntimeContext<Store>;
  /** Refs of the workflow inputs, by name. */
  inputs?: Record<string, string>;
  /** Aborting it cancels the run: running and pending steps become `cancelled`. */
  signal?: AbortSignal;
  /** Receives every {@link RunEvent}; a listener that throws is logged and ignored. */
  onEvent?: (event: RunEvent) => void;
  /** Steps run at once (1: one at a time in workflow order). Overrides the runner's. */
  concurrency?: number;
  /** The run's id (`run_…`); a new one when left out. */
  runId?: string;
  /**
   * An earlier run (its record, or its id in the context's run store) whose completed outputs this
   * new run takes over, step by step key, as a resume would: an unchanged step keeps its output
   * (`reusedFrom`), a changed one runs with everything downstream. The earlier run is not changed.
   */
  from?: RunRecord | string;
}

/** Options of {@link WorkflowRunner.resume}. */
export interface ResumeOptions extends Omit<RunOptions, 'runId'> {
  /**
   * The workflow as it is now (an edited document): the run continues with it. Each step is
   * decided by its step key: an unchanged completed step keeps its output, a changed one runs
   * again with everything downstream. Default: the workflow the run executed.
   */
  workflow?: Workflow;
}

/** Options of a {@link WorkflowRunner}. */
export interface WorkflowRunnerOptions {
  /** Where step types are found when resuming a {@link RunRecord}; the default registry when left out. */
  registry?: StepRegistry;
  /** Where runs log (with `runId`, steps with `stepId`): a pino logger, or any {@link Logger}. Silent when left out. */
  logger?: Logger;
  /** Default concurrency of runs (1). */
  concurrency?: number;
  /**
   * Executor factories by the kind steps choose in `strategy.executor`, beside the built-in
   * `inline` and `threads` (a kind given here replaces the built-in one). Each is made when a step
   * first chooses it.
   * @example { threads: threadsExecutor({ maxThreads: 2 }), queue: queueExecutor({ redis }) }
   */
  executors?: Readonly<Record<string, ExecutorFactory>>;
  /**
   * Step modules worker threads (and queue workers) import to find step types by slug (absolute
   * paths, file URLs, package names, or paths relative to `root`): what `stepwise.config.ts` lists
   * under `steps`.
   */
  stepModules?: readonly string[];
  /** Where relative `stepModules` resolve from; defaults to `process.cwd()`. */
  root?: string;
  /** Milliseconds between a running run's heartbeats in its record (default `HEARTBEAT_MS`, 10 s). */
  heartbeatMs?: number;
}

/**
 * Executes workflows: steps in order (or as a DAG with `concurrency > 1`), with retries,
 * timeouts, cancellation, events, and resume of failed and interrupted runs.
 *
 * A run's record is in the context's run store from its start, with this process as its owner
 * and a heartbeat, and every step's changes are appended to its journal as they happen: a run whose
 * process dies is `interrupted` (`loadRun`, `listRuns`) and any process holding the store resumes it.
 *
 * Both orders give the same result: a failed step's dependents (transitively) are `skipped`,
 * and steps that do not depend on it still run, also with `concurrency: 1`.
 * A step with no `timeoutMs` that never settles ends only through cancellation.
 * @example
 * const runner = new WorkflowRunner({ concurrency: 4 });
 * const run = await runner.run(workflow, { context, inputs: { sales: ref }, onEvent: console.log });
 * if (run.status === 'failed') await runner.resume(run);
 */
export class WorkflowRunner {
  readonly registry: StepRegistry;
  readonly logger: Logger;
  readonly concurrency: number;
  readonly #factories: ReadonlyMap<string, ExecutorFactory>;
  /** The executors made so far, by kind; `close()` ends and forgets them. */
  readonly #executors = new Map<string, StepExecutor>();
  readonly #chooseExecutor: ExecutorLookup;
  readonly #heartbeatMs: number | undefined;
  /** Plans are immutable and cached by their workflow, so their preparation is cached too (until `close()`). */
  #prepared = new WeakMap<WorkflowPlan, PreparedPlan>();

  constructor(options: WorkflowRunnerOptions = {}) {
    this.registry = options.registry ?? defaultRegistry;
    this.logger = options.logger ?? silentLogger;
    this.concurrency = checkConcurrency(options.concurrency ?? 1);
    this.#heartbeatMs = options.heartbeatMs;
    const factories = new Map(Object.entries({ ...builtInExecutors, ...options.executors }));
    this.#factories = factories;
    const setup = {
      registry: this.registry,
      logger: this.logger,
      stepModules: [...(options.stepModules ?? [])],
      root: options.root ?? process.cwd(),
    };
    this.#chooseExecutor = executorLookup(factories, this.#executors, setup);
  }

  /**
   * Runs a workflow to the end and answers with the {@link Run}; a failing step makes the run
   * `failed`, it does not reject.
   * @throws WorkflowValidationError `DOCUMENT_INVALID` for an invalid workflow; StepwiseError
   * `INPUT_MISSING` for a workflow input not given, `REF_NOT_FOUND` for one not in the context,
   * `RUN_ID_INVALID` for a `runId` that is not `run_` then 1 to 64 letters, digits, `_` or `-`,
   * `FIELD_INVALID` for a `concurrency` that is not a whole number of at least 1,
   * `RUN_RECORD_SAVE_FAILED` when the run's record cannot be saved before it starts.
   */
  async run(workflow: Workflow, options: RunOptions = {}): Promise<Run> {
    const plan = workflow.plan();
    const context = options.context ?? new RuntimeContext({ registry: plan.registry });
    const inputs = { ...options.inputs };
    await checkInputs(plan, this.#prepare(plan).inputNames, inputs, context);
    const id = options.runId ?? newRunId();
    assertRunId(id);
    const record = options.from === undefined ? undefined : await earlierRecord(context, options.from);
    // a new run shows nothing of the earlier one until it decides a step (unlike a resume's record)
    const earlier = record === undefined ? undefined : { ...earlierRun(record, plan.registry), kept: new Map() };
    if (!claimLocalRun(id)) throw stillRunningHere(id);
    return this.#execute(new Run({ id, plan, context, inputs }), options, earlier);
  }

  /**
   * Continues a run that failed, was cancelled or was interrupted (its process died), taking it
   * over: each step is decided by its step key, so a completed step whose type, config, inputs
   * and files are unchanged keeps its output, and every other step runs (see {@link RunPlan} for
   * what would). Takes a {@link Run} of this process, a {@link RunRecord}, or a run id (then
   * `options.context` is the context holding its data); `options.workflow` continues it with an
   * edited document.
   * @throws StepwiseError `RUN_NOT_FOUND` for an id the store does not hold; `RUN_NOT_RESUMABLE`
   * for a run still running (here or in a live process), a malformed record, or a workflow of
   * another id; `RUN_RECORD_SAVE_FAILED` when the record cannot be saved before it continues.
   */
  async resume(run: Run | RunRecord | string, options: ResumeOptions = {}): Promise<Run> {
    const id = run instanceof Run ? run.id : typeof run === 'string' ? run : String(run?.id);
    // held from here: a second resume of the same run while this one checks is refused too
    if (!claimLocalRun(id)) throw stillRunningHere(id);
    let earlier: EarlierRun;
    let target: Run;
    try {
      const found = await resumeTarget(run, {
        registry: this.registry,
        context: options.context,
        workflow: options.workflow,
      });
      target = found.run;
      // Checked before they are merged, so a refused resume leaves the run as it was.
      const inputs = { ...target.inputs, ...options.inputs };
      await checkInputs(target.plan, this.#prepare(target.plan).inputNames, inputs, target.context);
      Object.assign(target.inputs, options.inputs);
      earlier = earlierRun(found.earlier, target.plan.registry);
      resetForResume(target);
    } catch (error) {
      releaseLocalRun(id);
      throw error;
    }
    return this.#execute(target, options, earlier);
  }

  /**
   * What a run of `workflow` would do, step by step, without running anything: `reuse` (an
   * earlier run's output, kept), `cached` (`strategy.cache`) or `run`, and why it runs ("config
   * changed: threshold 0.25 → 0.5", "input load changed", "file sales.csv changed"). With
   * `from` (a run record or id), the plan of resuming that run with `workflow`; with `reuse: false`
   * as well, the plan of a new run, explained against that earlier one. Plain JSON.
   * @throws StepwiseError `RUN_NOT_FOUND` for a `from` id the store does not hold
   */
  async plan(workflow: Workflow, options: PlanOptions = {}): Promise<RunPlan> {
    const plan = workflow.plan();
    const context = options.context ?? new RuntimeContext({ registry: plan.registry });
    return planRun({ plan, prepared: this.#prepare(plan), context, options });
  }

  /** The kinds of executor this runner has (`inline`, `threads`, and those given): what `strategy.executor` may name. */
  executorKinds(): string[] {
    return [...this.#factories.keys()];
  }

  /** Closes every executor made so far (worker pools, connections); a later run makes new ones. */
  async close(): Promise<void> {
    const executors = [...this.#executors.values()];
    this.#executors.clear();
    this.#prepared = new WeakMap();
    await Promise.allSettled(executors.map((executor) => executor.close()));
  }

  #prepare(plan: WorkflowPlan): PreparedPlan {
    let prepared = this.#prepared.get(plan);
    if (prepared === undefined) {
      prepared = preparePlan(plan, this.#chooseExecutor);
      this.#prepared.set(plan, prepared);
    }
    return prepared;
  }

  /** Executes `run` (claimed in this process by the caller); `earlier` is the run a resume continues. */
  async #execute(run: Run, options: RunOptions, earlier: EarlierRun | undefined): Promise<Run> {
    let unlink = () => {};
    try {
      const concurrency = checkConcurrency(options.concurrency ?? this.concurrency);
      const logger = this.logger.child({ runId: run.id });
      const controller = new AbortController();
      // Every step in flight may listen to the run's signal (a timed attempt, a stream, a step's own
      // fetch), and each listener goes when its work ends: Node's warning at 11 would be a false alarm.
      setMaxListeners(0, controller.signal);
      unlink = link(options.signal, controller);
      const inFlight = new Set<(reason: unknown) => void>();
      controller.signal.addEventListener('abort', () => {
        for (const reject of inFlight) reject(controller.signal.reason);
        inFlight.clear();
      });
      const prepared = this.#prepare(run.plan);
      let failure: StepErrorInfo | undefined;
      const states = Array.from(run.steps.values());
      const checkpoint = new Checkpoint(run, states, {
        // a record naming an output is written only once the output is on disk
        runs: valuesFirst(run.context.store.runs, run.context.store.values),
        ...(this.#heartbeatMs === undefined ? {} : { heartbeatMs: this.#heartbeatMs }),
        onFailure: (error) => {
          failure = toStepError(error);
          logger.error({ err: failure }, 'the run record could not be written; stopping the run');
          controller.abort(error);
        },
      });
      const exec: Execution = {
        run,
        states,
        streams: [],
        context: run.context,
        signal: controller.signal,
        cancellable: options.signal !== undefined,
        inFlight,
        events: new RunEvents(run, options.onEvent, logger),
        prepared: prepared.steps,
        checkpoint,
        keys: undefined,
        earlier,
        logger,
      };
      run.fingerprints = { ...prepared.fingerprints };
      run.status = 'running';
      await checkpoint.begin(startRecord(exec));
      await this.#schedule(exec, concurrency);
      await finishRun(exec, failure);
    } finally {
      unlink();
      releaseLocalRun(run.id);
    }
    return run;
  }

  async #schedule(exec: Execution, concurrency: number): Promise<void> {
    const { run, events, logger } = exec;
    const { steps } = this.#prepare(run.plan);
    const resumed = exec.earlier?.runId === run.id;
    logger.info({ workflowId: run.workflowId, resumed, concurrency }, resumed ? 'run resumed' : 'run started');
    if (events.listening) {
      const todo = exec.states.filter((step) => step.status === 'pending').map((step) => step.id);
      events.emit({ type: 'run.started', workflowId: run.workflowId, steps: todo, resumed });
    }
    try {
      if (concurrency === 1) await runSequential(exec, steps);
      else await runConcurrent(exec, steps, concurrency);
    } catch (error) {
      for (const step of steps) failUnexpectedly(exec, step, error);
    }
    if (exec.signal.aborted) cancelPending(exec, steps);
  }
}

function stillRunningHere(runId: string): StepwiseError {
  return new StepwiseError(
    ErrorCode.RUN_NOT_RESUMABLE,
    `Run "${runId}" is still running in this process; wait for it to end.`,
    { details: { runId } },
  );
}

/** Aborts `controller` when `signal` does; answers the function that undoes the link. */
function link(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (signal === undefined) return () => {};
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) {
    onAbort();
    return () => {};
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function checkConcurrency(value: number): number {
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && value >= 1)) return value;
  throw new StepwiseError(
    ErrorCode.FIELD_INVALID,
    `concurrency must be a whole number of at least 1 (or Infinity), got ${String(value)}.`,
  );
}
