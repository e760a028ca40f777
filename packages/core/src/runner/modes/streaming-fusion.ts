import type { WorkflowPlan } from '../plan.js';

/**
 * The streaming steps whose stream goes straight into the next streaming step (a fused pipeline):
 * the step's output is read exactly once, as the primary `input` of a streaming step, and it is
 * not a workflow output. Such a step hands its consumer a lazy stream instead of a stored value,
 * so it has no output ref; any other streaming step materializes its chunks.
 */
export function fusedStreamingSteps(plan: Pick<WorkflowPlan, 'steps' | 'outputs'>): Set<string> {
  const readers = new Map<string, { count: number; streamingPrimary: boolean }>();
  for (const step of plan.steps) {
    for (const [name, reference] of Object.entries(step.inputs)) {
      if (!('step' in reference)) continue;
      const entry = readers.get(reference.step) ?? { count: 0, streamingPrimary: false };
      entry.count += 1;
      entry.streamingPrimary = name === 'input' && step.stepType.mode === 'streaming';
      readers.set(reference.step, entry);
    }
  }
  for (const reference of Object.values(plan.outputs)) {
    if ('step' in reference) readers.set(reference.step, { count: Number.POSITIVE_INFINITY, streamingPrimary: false });
  }
  const fused = new Set<string>();
  for (const step of plan.steps) {
    const entry = readers.get(step.id);
    if (step.stepType.mode === 'streaming' && entry?.count === 1 && entry.streamingPrimary) fused.add(step.id);
  }
  return fused;
}
