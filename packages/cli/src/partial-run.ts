import { createHash } from 'node:crypto';
import {
  didYouMean,
  type InputReference,
  type JsonObject,
  loadRun,
  type RunRecord,
  type StepRegistry,
  Workflow,
  type WorkflowDocument,
  type WorkflowPlan,
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

/** What a partial run records in its document's `metadata`, so that later ones can reuse its outputs. */
interface PartialMetadata {
  selection: Selection;
  reused: Record<string, { run: string; ref: string; type: string }>;
  /** The reuse key of each step it ran (see {@link reuseKeys}). */
  stepKeys: Record<string, string>;
}

/** True when any of `--from`, `--to`, `--only` was given. */
export function isPartial(selection: Selection): boolean {
  return [selection.from, selection.to, selection.only].some((ids) => ids !== undefined && ids.length > 0);
}

/**
 * The part of `plan` that `--from` (those steps and everything after them), `--to` (those steps and
 * everything before them) or `--only` select, as a workflow of its own: the steps it reads but does
 * not run read their latest earlier output from the store instead (a `{ ref }` input), taken from a
 * run of the same workflow where that step, and every step before it, had the same type, config and
 * inputs as now.
 * @throws UsageError for an unknown step, an empty selection, or steps with no earlier output (naming them)
 */
export async function partialRun(
  plan: WorkflowPlan,
  selection: Selection,
  options: { context: CommandContext; registry: StepRegistry; store: string },
): Promise<PartialRun> {
  const selected = selectSteps(plan, selection);
  const needed = plan.steps.filter(
    (step) => !selected.has(step.id) && plan.steps.some((s) => selected.has(s.id) && s.dependsOn.includes(step.id)),
  );
  const keys = reuseKeys(plan);
  const found = await earlierOutputs(options, plan, new Map(needed.map((step) => [step.id, keys.get(step.id) ?? ''])));
  const missing = needed.filter((step) => !found.has(step.id));
  if (missing.length > 0) {
    const names = missing.map((step) => `"${step.id}" (${step.stepType.slug})`).join(', ');
    throw new UsageError(
      `${flagsText(selection)}: no earlier output of ${missing.length === 1 ? 'step' : 'steps'} ${names} in the store ${options.store} to start from.`,
      [
        'An output is reused only from a run of this workflow in which that step and every step before it had the same type, config and inputs as now.',
        `Run ${missing.length === 1 ? 'it' : 'them'} first: without --from/--to/--only, or with --from ${missing[0]?.id}.`,
      ],
    );
  }
  const reused = needed.map((step) => ({
    stepId: step.id,
    type: step.stepType.slug,
    ...(found.get(step.id) as { runId: string; ref: string }),
  }));
  const metadata: PartialMetadata = {
    selection: Object.fromEntries(
      (['from', 'to', 'only'] as const).flatMap((flag) => (selection[flag]?.length ? [[flag, selection[flag]]] : [])),
    ),
    reused: Object.fromEntries(reused.map((r) => [r.stepId, { run: r.runId, ref: r.ref, type: r.type }])),
    stepKeys: Object.fromEntries([...selected].map((id) => [id, keys.get(id) ?? ''])),
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

/**
 * A key per step that changes when the step's type, config or inputs change, or those of any step
 * before it: an earlier output is reused only under the same key. (A change in a step type's code is
 * not seen; the runner's step keys will.)
 */
export function reuseKeys(plan: WorkflowPlan): Map<string, string> {
  const keys = new Map<string, string>();
  for (const step of plan.steps) {
    const inputs = Object.entries(step.inputs)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, reference]) => [name, identity(reference, keys)]);
    const text = JSON.stringify([step.stepType.slug, step.config, inputs]);
    keys.set(step.id, createHash('sha256').update(text).digest('hex').slice(0, 32));
  }
  return keys;
}

function identity(reference: InputReference, keys: ReadonlyMap<string, string>): string {
  if ('step' in reference) return `step:${keys.get(reference.step) ?? reference.step}`;
  if ('input' in reference) return `input:${reference.input}`;
  return `ref:${reference.ref}`;
}

/** For each wanted step id (with its key), the newest earlier output under that key the store still holds. */
async function earlierOutputs(
  options: { context: CommandContext; registry: StepRegistry },
  plan: WorkflowPlan,
  wanted: Map<string, string>,
): Promise<Map<string, { runId: string; ref: string }>> {
  const found = new Map<string, { runId: string; ref: string }>();
  if (wanted.size === 0) return found;
  for await (const summary of pastRuns(options.context, { workflowId: plan.document.id })) {
    // the journal applied: an interrupted run's completed steps are in it
    const record = await loadRun(options.context.store.runs, summary.id);
    const keys = record === undefined ? undefined : recordKeys(record, options.registry);
    if (record === undefined || keys === undefined) continue;
    for (const step of record.steps) {
      const key = wanted.get(step.id);
      if (key === undefined || found.has(step.id) || step.status !== 'completed' || step.output === undefined) continue;
      if (keys.get(step.id) !== key || !(await options.context.has(step.output))) continue;
      found.set(step.id, { runId: record.id, ref: step.output });
    }
    if (found.size === wanted.size) break;
  }
  return found;
}

/** The reuse keys of the steps a recorded run ran: from a partial run's metadata, else from its document. */
function recordKeys(record: RunRecord, registry: StepRegistry): Map<string, string> | undefined {
  const partial = (record.workflow.metadata as { partial?: PartialMetadata } | undefined)?.partial;
  if (partial?.stepKeys !== undefined) return new Map(Object.entries(partial.stepKeys));
  try {
    return reuseKeys(Workflow.fromJSON(record.workflow, { registry }).plan());
  } catch {
    return undefined; // its step types changed since: nothing to reuse from it
  }
}

/** The document of the selected steps; the steps they read but do not run become `{ ref }` inputs. */
function partialDocument(
  plan: WorkflowPlan,
  selected: ReadonlySet<string>,
  reused: ReadonlyMap<string, string>,
  partial: PartialMetadata,
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
  const metadata = { ...original.metadata, partial: partial as unknown as JsonObject };
  return { ...original, inputs, steps, outputs, metadata } as WorkflowDocument;
}
