import {
  didYouMean,
  type InputReference,
  type JsonObject,
  type JsonValue,
  loadRun,
  type RunPlan,
  type RunRecord,
  type StepPlan,
  type StepRegistry,
  Workflow,
  type WorkflowDocument,
  type WorkflowPlan,
  type WorkflowRunner,
} from '@stepwise/core';
import type { CommandContext } from './project.js';
import { pastRuns } from './run-history.js';
import { UsageError } from './usage-error.js';

/** `--from`, `--to` and `--only`, each a list of step ids. */
export interface Selection {
  from?: string[];
  to?: string[];
  only?: string[];
}

/** A step a partial run does not run: its output is taken from an earlier run. */
export interface ReusedStep {
  stepId: string;
  type: string;
  runId: string;
  ref: string;
}

/** The workflow a partial run executes, and the steps whose earlier outputs it reads. */
export interface PartialRun {
  workflow: Workflow;
  reused: ReusedStep[];
}

/** True when any of `--from`, `--to`, `--only` was given. */
export function isPartial(selection: Selection): boolean {
  return [selection.from, selection.to, selection.only].some((ids) => ids !== undefined && ids.length > 0);
}

/**
 * The part of `plan` that `--from` (those steps and everything after them), `--to` (those steps and
 * everything before them) or `--only` select, as a workflow of its own: the steps it reads but does
 * not run read their latest earlier output from the store instead (a `{ ref }` input), taken from a
 * run of the same workflow in which that step had the step key it has now, as core decides it for a
 * resume (`runner.plan`): the CLI and core agree on which outputs still stand. Its document's
 * `metadata.partial` records the selection, the outputs it read, and each step's key in the whole
 * workflow.
 * @throws UsageError for an unknown step, an empty selection, or steps with no earlier output (naming them)
 */
export async function partialRun(
  plan: WorkflowPlan,
  selection: Selection,
  options: { context: CommandContext; registry: StepRegistry; store: string; runner: Planner },
): Promise<PartialRun> {
  const selected = selectSteps(plan, selection);
  const needed = plan.steps.filter(
    (step) => !selected.has(step.id) && plan.steps.some((s) => selected.has(s.id) && s.dependsOn.includes(step.id)),
  );
  const whole = Workflow.fromJSON(plan.document, { registry: options.registry });
  const { found, keys } = await earlierOutputs(options, whole, new Set(needed.map((step) => step.id)));
  const missing = needed.filter((step) => !found.has(step.id));
  if (missing.length > 0) {
    const names = missing.map((step) => `"${step.id}" (${step.stepType.slug})`).join(', ');
    throw new UsageError(
      `${flagsText(selection)}: no earlier output of ${missing.length === 1 ? 'step' : 'steps'} ${names} in the store ${options.store} to start from.`,
      [
        'An output is reused only from a run of this workflow in which that step had the same step key as now: the same type (and code), config, inputs and files read, and so for every step before it.',
        `Run ${missing.length === 1 ? 'it' : 'them'} first: without --from/--to/--only, or with --from ${missing[0]?.id}.`,
      ],
    );
  }
  const reused = needed.map((step) => ({
    stepId: step.id,
    type: step.stepType.slug,
    ...(found.get(step.id) as { runId: string; ref: string }),
  }));
  const metadata: JsonObject = {
    selection: Object.fromEntries(
      (['from', 'to', 'only'] as const).flatMap((flag) => (selection[flag]?.length ? [[flag, selection[flag]]] : [])),
    ),
    reused: Object.fromEntries(reused.map((r) => [r.stepId, { run: r.runId, ref: r.ref, type: r.type }])),
    // each step it runs, by its key in the whole workflow: a later partial run reuses its output by that key
    stepKeys: Object.fromEntries([...selected].flatMap((id) => (keys.has(id) ? [[id, keys.get(id) as string]] : []))),
  };
  const document = partialDocument(plan, selected, new Map(reused.map((r) => [r.stepId, r.ref])), metadata);
  return { workflow: Workflow.fromJSON(document, { registry: options.registry }), reused };
}

/** `--from total --to by_region`, as the user gave them. */
function flagsText(selection: Selection): string {
  return (['from', 'to', 'only'] as const)
    .filter((flag) => selection[flag]?.length)
    .map((flag) => `--${flag} ${selection[flag]?.join(',')}`)
    .join(' ');
}

function selectSteps(plan: WorkflowPlan, selection: Selection): Set<string> {
  const ids = plan.steps.map((step) => step.id);
  for (const flag of ['from', 'to', 'only'] as const) {
    for (const id of selection[flag] ?? []) {
      if (plan.byId.has(id)) continue;
      throw new UsageError(`--${flag} ${id}: the workflow has no step "${id}".${didYouMean(id, ids)}`, [
        `Its steps: ${ids.join(', ')}.`,
      ]);
    }
  }
  if (selection.only?.length) {
    if (selection.from?.length || selection.to?.length)
      throw new UsageError('--only names the steps to run by itself; give it without --from and --to.');
    return new Set(selection.only);
  }
  const readers = new Map<string, string[]>();
  for (const step of plan.steps)
    for (const dep of step.dependsOn) readers.set(dep, [...(readers.get(dep) ?? []), step.id]);
  const after = selection.from?.length ? closure(selection.from, (id) => readers.get(id) ?? []) : undefined;
  const before = selection.to?.length ? closure(selection.to, (id) => plan.byId.get(id)?.dependsOn ?? []) : undefined;
  const chosen = ids.filter((id) => (after?.has(id) ?? true) && (before?.has(id) ?? true));
  if (chosen.length === 0)
    throw new UsageError(
      `${flagsText(selection)} selects no step: no step named by --to comes after one named by --from.`,
    );
  return new Set(chosen);
}

/** The steps `start` names and every step reached from them through `next`. */
function closure(start: readonly string[], next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...next(id));
  }
  return seen;
}

/** Plans a run of a workflow as core decides it (a {@link WorkflowRunner}'s `plan`). */
export type Planner = Pick<WorkflowRunner, 'plan'>;

/** Where a partial run looks for earlier outputs, and how it asks core about step keys. */
interface Lookup {
  context: CommandContext;
  runner: Planner;
}

/**
 * For each needed step, the newest earlier output core would keep for it, and the step keys of the
 * whole workflow now (for the partial run's metadata). Each earlier run is asked as a resume of it
 * with the workflow as it is now (`runner.plan` with `reuse`): a step core would reuse, its key and
 * its output still there, is found. A step of an earlier partial run that read an output it did
 * not compute was keyed there by that ref; its key in the whole workflow is in the run's metadata.
 */
async function earlierOutputs(
  options: Lookup,
  workflow: Workflow,
  needed: ReadonlySet<string>,
): Promise<{ found: Map<string, { runId: string; ref: string }>; keys: ReadonlyMap<string, string> }> {
  const found = new Map<string, { runId: string; ref: string }>();
  let keys: ReadonlyMap<string, string> | undefined;
  if (needed.size > 0) {
    for await (const summary of pastRuns(options.context, { workflowId: workflow.id })) {
      // the journal applied: an interrupted run's completed steps are in it
      const record = await loadRun(options.context.store.runs, summary.id);
      if (record === undefined) continue;
      const plan = await options.runner.plan(workflow, { context: options.context, from: record, reuse: true });
      keys ??= keysOf(plan);
      const partialKeys = partialStepKeys(record);
      for (const step of plan.steps) {
        if (!needed.has(step.id) || found.has(step.id)) continue;
        const ref = step.action === 'reuse' ? step.output : await keptAsPartial(options, record, step, partialKeys);
        if (ref !== undefined) found.set(step.id, { runId: record.id, ref });
      }
      if (found.size === needed.size) break;
    }
  }
  keys ??= keysOf(await options.runner.plan(workflow, { context: options.context, reuse: false }));
  return { found, keys };
}

function keysOf(plan: RunPlan): Map<string, string> {
  return new Map(plan.steps.flatMap((step) => (step.key === undefined ? [] : [[step.id, step.key] as const])));
}

/** The output of `step` in an earlier partial run, when it completed under the key the step has now. */
async function keptAsPartial(
  options: Lookup,
  record: RunRecord,
  step: StepPlan,
  partialKeys: ReadonlyMap<string, string>,
): Promise<string | undefined> {
  if (step.key === undefined || partialKeys.get(step.id) !== step.key) return undefined;
  const state = record.steps.find((earlier) => earlier.id === step.id);
  if (state?.status !== 'completed' || state.output === undefined) return undefined;
  return (await options.context.has(state.output)) ? state.output : undefined;
}

/** The whole-workflow step keys a partial run recorded in its document's metadata (none for a whole run). */
function partialStepKeys(record: RunRecord): Map<string, string> {
  const partial = record.workflow.metadata?.partial;
  const stepKeys = isJsonObject(partial) ? partial.stepKeys : undefined;
  if (!isJsonObject(stepKeys)) return new Map();
  return new Map(
    Object.entries(stepKeys).flatMap(([id, key]) => (typeof key === 'string' ? [[id, key] as const] : [])),
  );
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The document of the selected steps; the steps they read but do not run become `{ ref }` inputs. */
function partialDocument(
  plan: WorkflowPlan,
  selected: ReadonlySet<string>,
  reused: ReadonlyMap<string, string>,
  partial: JsonObject,
): WorkflowDocument {
  const original = plan.document;
  const swap = (reference: InputReference): InputReference => {
    const ref = 'step' in reference ? reused.get(reference.step) : undefined;
    return ref === undefined ? reference : { ref };
  };
  const steps = original.steps
    .filter((step) => selected.has(step.id))
    .map((step) => {
      const planned = plan.byId.get(step.id);
      const inputs = Object.fromEntries(Object.entries(planned?.inputs ?? {}).map(([name, r]) => [name, swap(r)]));
      return { ...step, inputs };
    });
  const outputs: Record<string, InputReference> = {};
  for (const [name, reference] of Object.entries(original.outputs)) {
    if ('step' in reference && !selected.has(reference.step) && !reused.has(reference.step)) continue;
    outputs[name] = swap(reference);
  }
  const read = new Set(
    [...steps.flatMap((step) => Object.values(step.inputs)), ...Object.values(outputs)].flatMap((r) =>
      'input' in r ? [r.input] : [],
    ),
  );
  const inputs = Object.fromEntries(Object.entries(original.inputs).filter(([name]) => read.has(name)));
  const metadata = { ...original.metadata, partial };
  return { ...original, inputs, steps, outputs, metadata } as WorkflowDocument;
}
