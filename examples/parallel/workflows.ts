/**
 * The workflows of the parallel example.
 * `npx tsx examples/parallel/workflows.ts` runs them and prints their outputs (build first:
 * `npm run build`).
 */
import { fileURLToPath } from 'node:url';
import { loadConfig, type Run, RuntimeContext, Workflow, WorkflowRunner } from '@stepwise/core';

/**
 * `score_row` over a list of numbers on `workers` worker threads (1: inline), then the batch step
 * `summarize_scores` over all of the scores. Two outputs: `scores` and `summary`.
 */
export function scoreWorkflow(workers = 2): Workflow {
  const wf = new Workflow({
    id: 'score_numbers',
    name: 'Score numbers',
    inputs: { numbers: { type: 'JSON' } },
    outputs: { scores: { step: 'score' }, summary: { step: 'summary' } },
  });
  wf.add(
    'score_row',
    {},
    { id: 'score', inputs: { input: { input: 'numbers' } }, strategy: { workers, retries: 1, timeoutMs: 60_000 } },
  );
  wf.add('summarize_scores', {}, { id: 'summary' });
  return wf;
}

/** generate -> parse -> keep positive -> sum: four streaming steps fused into one pipeline. */
export function streamingWorkflow(): Workflow {
  const wf = new Workflow({ id: 'stream_amounts', name: 'Stream amounts' });
  wf.add('generate_lines', {}, { id: 'lines' });
  wf.add('parse_lines', {}, { id: 'parse' });
  wf.add('keep_positive', {}, { id: 'positive' });
  wf.add('sum_amounts', {}, { id: 'total' });
  return wf;
}

/**
 * Two steps on worker threads that fail: `check` throws a coded error on a negative number (retried
 * once, then failed with that code); `busy` runs past its `timeoutMs` (STEP_TIMEOUT, its threads are
 * ended and replaced). Neither depends on the other, so both run and fail on their own.
 */
export function faultsWorkflow(): Workflow {
  const wf = new Workflow({
    id: 'faults',
    name: 'Faults in worker threads',
    inputs: { numbers: { type: 'JSON' } },
    outputs: { checked: { step: 'check' }, waited: { step: 'busy' } },
  });
  const input = { input: { input: 'numbers' } };
  wf.add('check_row', {}, { id: 'check', inputs: input, strategy: { workers: 2, retries: 1, retryDelayMs: 10 } });
  wf.add('busy_row', { msPerRow: 200 }, { id: 'busy', inputs: input, strategy: { workers: 2, timeoutMs: 300 } });
  return wf;
}

/** Loads ./stepwise.config.ts (which imports the step modules) and a runner whose threads load them too. */
export async function exampleRunner(): Promise<WorkflowRunner> {
  const config = await loadConfig(fileURLToPath(new URL('./stepwise.config.ts', import.meta.url)));
  return new WorkflowRunner({ stepModules: config.steps });
}

/** Each step's status, attempts and error code, for printing. */
function stepSummary(run: Run): Record<string, string> {
  const steps: Record<string, string> = {};
  for (const [id, step] of run.steps)
    steps[id] = `${step.status} after ${step.attempts} attempt(s)${step.error ? ` with ${step.error.code}` : ''}`;
  return steps;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runner = await exampleRunner();
  try {
    const context = new RuntimeContext();
    const numbers = context.put(
      Array.from({ length: 20 }, (_, i) => i),
      { type: 'JSON' },
    );
    const scored = await runner.run(scoreWorkflow(), { context, inputs: { numbers } });
    console.log('score_numbers:', scored.status, context.get(scored.outputs.summary as string));
    console.log('  first scores:', (context.get(scored.outputs.scores as string) as unknown[]).slice(0, 3));
    const streamed = await runner.run(streamingWorkflow(), { context });
    console.log('stream_amounts:', streamed.status, context.get(streamed.outputs.result as string));
    const mixed = context.put([3, 1, -4, 1, 5, -9], { type: 'JSON' });
    const faults = await runner.run(faultsWorkflow(), { context, inputs: { numbers: mixed } });
    console.log('faults:', faults.status, stepSummary(faults));
    const again = await runner.run(scoreWorkflow(), { context, inputs: { numbers } });
    console.log('score_numbers again, on the replaced threads:', again.status);
  } finally {
    await runner.close(); // ends the worker threads
  }
}
