import { randomBytes } from 'node:crypto';
import { ErrorCode } from '../errors/codes.js';
import { type StepErrorInfo, StepwiseError } from '../errors/stepwise-error.js';
import { isPlainObject } from '../model/json.js';
import { RUN_RECORD_FORMAT, type RunRecord, type StepRun } from '../model/run.js';
import type { StepState } from '../model/step-state.js';
import type { StepRegistry } from '../registry/step-registry.js';
import { type RuntimeContext, type Store, Workflow, type WorkflowPlan } from './plan.js';

/** What a {@link Run} is made from. */
export interface RunInit {
  id: string;
  plan: WorkflowPlan;
  context: RuntimeContext<Store>;
  inputs: Record<string, string>;
}

/**
 * One execution of a workflow: its status, each step's {@link StepRun}, the output refs, and the
 * runtime context holding the data. `toJSON()` gives a {@link RunRecord} another process can resume.
 * @example
 * const run = await runner.run(wf, { context });
 * if (run.status === 'completed') context.get(run.outputs.result);
 */
export class Run {
  readonly id: string;
  readonly workflowId: string;
  status: StepState = 'pending';
  /** Every step, in workflow order. */
  readonly steps: Map<string, StepRun>;
  /** Workflow outputs available so far, by name, as refs. */
  outputs: Record<string, string> = {};
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt?: number;
  /** The first failing step's error, or the run's own (its record could not be saved). */
  error?: StepErrorInfo;
  /** The first failing step, whose error is {@link Run.error}; unset when the run failed for a reason of its own. */
  failedStep?: string;
  readonly context: RuntimeContext<Store>;
  /** The refs given for the workflow inputs. */
  readonly inputs: Record<string, string>;
  /** The last event sequence number used. */
  seq = 0;
  /** The plan the run executes (the workflow document and its resolved step types). */
  readonly plan: WorkflowPlan;
  /** Each step type's fingerprint by slug, as its steps ran (set by the runner). */
  fingerprints: Record<string, string> = {};

  constructor(init: RunInit) {
    this.id = init.id;
    this.plan = init.plan;
    this.workflowId = init.plan.document.id;
    this.context = init.context;
    this.inputs = init.inputs;
    this.startedAt = Date.now();
    this.steps = new Map();
    for (const step of init.plan.steps) this.steps.set(step.id, { id: step.id, status: 'pending', attempts: 0 });
  }

  /** The run as plain JSON, with the workflow document. */
  toJSON(): RunRecord {
    return runRecord(
      this,
      Array.from(this.steps.values(), (step) => ({ ...step })),
    );
  }

  /**
   * A run rebuilt from its record (for instance `await loadRun(store.runs, id)` in a new process),
   * ready for `runner.resume`. With `workflow`, the run executes that workflow from now on (an
   * edited document): its steps are matched to the record's by id.
   * @throws StepwiseError `RUN_NOT_RESUMABLE` for a malformed record, or a `workflow` of another
   * workflow id; WorkflowValidationError `DOCUMENT_INVALID` when the record's workflow no longer
   * validates against `registry`.
   */
  static fromJSON(
    record: unknown,
    options: { registry: StepRegistry; context: RuntimeContext<Store>; workflow?: Workflow },
  ): Run {
    const checked = checkRecord(record);
    if (options.workflow !== undefined && options.workflow.id !== checked.workflowId)
      throw new StepwiseError(
        ErrorCode.RUN_NOT_RESUMABLE,
        `Run "${checked.id}" ran workflow "${checked.workflowId}"; it cannot continue as workflow "${options.workflow.id}".`,
        { details: { runId: checked.id, workflowId: checked.workflowId, given: options.workflow.id } },
      );
    const workflow = options.workflow ?? Workflow.fromJSON(checked.workflow, { registry: options.registry });
    const plan = workflow.plan();
    const run = new Run({ id: checked.id, plan, context: options.context, inputs: { ...checked.inputs } });
    // an interrupted run stopped before it finished, as a cancelled one did
    run.status = checked.status === 'interrupted' ? 'cancelled' : checked.status;
    if (checked.fingerprints !== undefined) run.fingerprints = { ...checked.fingerprints };
    run.startedAt = checked.startedAt;
    run.outputs = { ...checked.outputs };
    run.seq = checked.seq;
    if (checked.endedAt !== undefined) run.endedAt = checked.endedAt;
    for (const step of checked.steps) {
      if (run.steps.has(step.id)) run.steps.set(step.id, { ...step });
    }
    const failed =
      checked.failedStep === undefined ? undefined : checked.steps.find((s) => s.id === checked.failedStep);
    if (failed !== undefined) run.failedStep = failed.id;
    const error = checked.error ?? failed?.error;
    if (error !== undefined) run.error = error;
    return run;
  }
}

/** The record of `run` with `steps` as its steps (the runner leaves out those not begun). */
export function runRecord(run: Run, steps: StepRun[]): RunRecord {
  const record: RunRecord = {
    format: RUN_RECORD_FORMAT,
    version: 1,
    id: run.id,
    workflowId: run.workflowId,
    status: run.status,
    startedAt: run.startedAt,
    inputs: { ...run.inputs },
    outputs: { ...run.outputs },
    seq: run.seq,
    steps,
    workflow: run.plan.document,
  };
  if (run.endedAt !== undefined) record.endedAt = run.endedAt;
  // a step's error is kept once, in its step; the record points to it
  if (run.failedStep !== undefined) record.failedStep = run.failedStep;
  else if (run.error !== undefined) record.error = run.error;
  if (Object.keys(run.fingerprints).length > 0) record.fingerprints = { ...run.fingerprints };
  return record;
}

/** A new run id: `run_` then a time part (sortable) and a random part. */
export function newRunId(): string {
  return `run_${Date.now().toString(36)}${randomBytes(6).toString('base64url')}`;
}

function checkRecord(record: unknown): RunRecord {
  const problem = recordProblem(record);
  if (problem === undefined) return record as RunRecord;
  throw new StepwiseError(ErrorCode.RUN_NOT_RESUMABLE, `Run record cannot be resumed: ${problem}.`, {
    details: { problem },
  });
}

function recordProblem(record: unknown): string | undefined {
  if (!isPlainObject(record)) return 'expected an object';
  if (record.format !== RUN_RECORD_FORMAT || record.version !== 1)
    return `expected format "${RUN_RECORD_FORMAT}" version 1`;
  if (typeof record.id !== 'string') return 'id: expected a string';
  if (typeof record.workflowId !== 'string') return 'workflowId: expected a string';
  if (!Array.isArray(record.steps)) return 'steps: expected an array';
  for (const step of record.steps) {
    if (!isPlainObject(step) || typeof step.id !== 'string' || typeof step.status !== 'string')
      return 'steps: expected objects with an id and a status';
  }
  if (!isPlainObject(record.inputs) || !isPlainObject(record.outputs)) return 'inputs/outputs: expected objects';
  if (typeof record.seq !== 'number' || typeof record.startedAt !== 'number') return 'seq/startedAt: expected numbers';
  if (!isPlainObject(record.workflow)) return 'workflow: expected the workflow document';
  return undefined;
}
