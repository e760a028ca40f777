import type { StoredRun } from '../context/run-store.js';
import { isPlainObject } from '../model/json.js';
import type { RunJournalEntry, RunRecord, SeqJournalEntry, StepJournalEntry, StepRun } from '../model/run.js';

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
 * malformed ones, are left out: a record always comes back.
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
  if (!isPlainObject(step) || typeof step.id !== 'string' || typeof step.status !== 'string') return;
  const at = index.get(step.id);
  if (at === undefined) {
    index.set(step.id, record.steps.length);
    record.steps.push(step as unknown as StepRun);
  } else record.steps[at] = step as unknown as StepRun;
}
