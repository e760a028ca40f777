/**
 * The two workflows of the parallel example.
 * `npx tsx examples/parallel/workflows.ts` runs both and prints their outputs.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig, RuntimeContext, Workflow, WorkflowRunner } from '@stepwise/core';

/** `score_row` over a list of numbers, on `workers` worker threads (1: inline). */
export function scoreWorkflow(workers = 2): Workflow {
  const wf = new Workflow({ id: 'score_numbers', name: 'Score numbers', inputs: { numbers: { type: 'JSON' } } });
  wf.add('score_row', {}, { id: 'score', inputs: { input: { input: 'numbers' } }, strategy: { workers } });
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

/** Loads ./stepwise.config.ts (which imports the step modules) and a runner whose threads load them too. */
export async function exampleRunner(): Promise<WorkflowRunner> {
  const config = await loadConfig(fileURLToPath(new URL('./stepwise.config.ts', import.meta.url)));
  return new WorkflowRunner({ stepModules: config.steps });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runner = await exampleRunner();
  const context = new RuntimeContext();
  const numbers = context.put(
    Array.from({ length: 20 }, (_, i) => i),
    { type: 'JSON' },
  );
  const scored = await runner.run(scoreWorkflow(), { context, inputs: { numbers } });
  console.log('score_numbers:', scored.status, context.get(scored.outputs.result as string));
  const streamed = await runner.run(streamingWorkflow(), { context });
  console.log('stream_amounts:', streamed.status, context.get(streamed.outputs.result as string));
  await runner.close();
}
