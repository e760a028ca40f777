import type { StoredRun } from '../context/run-store.js';
import { isPlainObject } from '../model/json.js';
import type { RunJournalEntry, RunRecord, SeqJournalEntry, StepJournalEntry, StepRun } from '../model/run.js';
import { StepState } from '../model/step-state.js';

/**
 * The journal entry of a step's new state. It holds the state itself, not a copy: a store reads it
 * when appending, and one that reads it later sees a newer state, which the next entry would set anyway.
 */
export function stepEntry(step: StepRun): StepJournalEntry {
  return { type: 'step', step };
}

/** The journal entry of the run's last event sequence number. */
export function seqEntry(seq: number): SeqJournalEntry {
  return { type: 'seq', seq };
}

/**
 * The run as its store holds it now: the saved record with every journal entry applied after it,
 * its steps in workflow order with those not begun yet as `pending`, and the summary's status, end
 * and owner (a heartbeat or the end written after the record). Entries of an unknown type, or
 * malformed ones (a step that is not a whole {@link StepRun}), are left out: a record always comes back.
 */
export function foldRun(stored: StoredRun): RunRecord {
  const record: RunRecord = { ...stored.record, steps: [...stored.record.steps] };
  const index = new Map(record.steps.map((step, i) => [step.id, i]));
  for (const entry of stored.journal) applyEntry(record, index, entry);
  record.steps = inWorkflowOrder(record);
  const { summary } = stored;
  record.status = summary.status;
  if (summary.endedAt === undefined) delete record.endedAt;
  else record.endedAt = summary.endedAt;
  if (summary.owner === undefined) delete record.owner;
  else record.owner = { ...summary.owner };
  return record;
}

/** The record's steps in the order of its workflow, a step not in them pending; steps the workflow lacks last. */
function inWorkflowOrder(record: RunRecord): StepRun[] {
  const byId = new Map(record.steps.map((step) => [step.id, step]));
  const steps: StepRun[] = [];
  for (const { id } of Array.isArray(record.workflow?.steps) ? record.workflow.steps : []) {
    steps.push(byId.get(id) ?? { id, status: 'pending', attempts: 0 });
    byId.delete(id);
  }
  steps.push(...byId.values());
  return steps;
}

function applyEntry(record: RunRecord, index: Map<string, number>, entry: RunJournalEntry): void {
  if (entry.type === 'seq' && typeof entry.seq === 'number') {
    record.seq = Math.max(record.seq, entry.seq);
    return;
  }
  if (entry.type !== 'step') return;
  const step = entry.step;
  if (!isStepRun(step)) return;
  const at = index.get(step.id);
  if (at === undefined) {
    index.set(step.id, record.steps.length);
    record.steps.push(step);
  } else record.steps[at] = step;
}

const STEP_STATES: ReadonlySet<unknown> = new Set(Object.values(StepState));

/** The optional fields of a {@link StepRun} and the `typeof` each has when present. */
const OPTIONAL_FIELDS = {
  startedAt: 'number',
  endedAt: 'number',
  output: 'string',
  cached: 'boolean',
  reusedFrom: 'string',
  key: 'string',
} as const satisfies Partial<Record<keyof StepRun, string>>;

/**
 * True when a journal's step is a {@link StepRun}: an id, a step state, a count of attempts, and
 * its optional fields of their types. A store hands back what was written, or what a torn or edited
 * file holds; a resume reads `output` as a ref and `attempts` as a count, so neither may be a guess.
 */
function isStepRun(value: unknown): value is StepRun {
  if (!isPlainObject(value) || typeof value.id !== 'string' || !STEP_STATES.has(value.status)) return false;
  if (!Number.isInteger(value.attempts) || (value.attempts as number) < 0) return false;
  for (const [field, type] of Object.entries(OPTIONAL_FIELDS)) {
    if (value[field] !== undefined && typeof value[field] !== type) return false;
  }
  if (value.error !== undefined && !(isPlainObject(value.error) && typeof value.error.message === 'string'))
    return false;
  return value.files === undefined || (Array.isArray(value.files) && value.files.every(isPlainObject));
}
