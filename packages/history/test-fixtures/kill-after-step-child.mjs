// The child process of kill-after-step.test.ts, on the built core and history, like core's
// kill-after-step-child.mjs but with its runs in a history (values stay in the file store):
//   node kill-after-step-child.mjs run <store> <history> <run-id> <tally>     `made` then `held`, which waits until killed;
//                                                                              prints `completed <step>` at each step.completed event
//   node kill-after-step-child.mjs resume <store> <history> <run-id> <tally>  resumes the run (`held` answers at once); prints JSON
// <history> is what a config's `history` says: `sqlite:<file>` or a PostgreSQL URL (`?schema=`).
import { appendFileSync } from 'node:fs';

const [mode, storeDir, history, runId, tally] = process.argv.slice(2);
const core = await import(new URL('../../core/dist/index.js', import.meta.url).href);
const { openConfigStore } = await import(new URL('../dist/index.js', import.meta.url).href);
const { RuntimeContext, StepRegistry, stepType, Workflow, WorkflowRunner, loadRun } = core;
const holding = mode === 'run';

const registry = new StepRegistry();
stepType({ slug: 'made', outputType: 'JSON', registry }, () => {
  appendFileSync(tally, 'made\n');
  return Array.from({ length: 1000 }, (_, i) => ({ i, text: `row ${i}` }));
});
stepType({ slug: 'held', inputType: 'JSON', outputType: 'JSON', registry }, (rows) =>
  holding ? new Promise(() => setInterval(() => {}, 1000)) : rows.length,
);
const workflow = new Workflow({ id: 'kill_after', name: 'Kill after a step', registry });
workflow.add('made', {}, { id: 'made' });
workflow.add('held', {}, { id: 'held' });

const opened = await openConfigStore({ store: storeDir, history });
const runner = new WorkflowRunner({ registry });
const context = new RuntimeContext({ store: opened.store, registry });
if (holding) {
  const onEvent = (event) => {
    if (event.type === 'step.completed') process.stdout.write(`completed ${event.stepId}\n`);
  };
  await runner.run(workflow, { context, runId, onEvent });
} else {
  const before = await loadRun(context.store.runs, runId);
  const run = await runner.resume(runId, { context });
  const after = await loadRun(context.store.runs, runId);
  const made = after?.steps.find((step) => step.id === 'made');
  process.stdout.write(
    JSON.stringify({
      before: before?.status,
      after: run.status,
      reusedFrom: made?.reusedFrom,
      rows: made?.output === undefined ? undefined : context.get(made.output).length,
      result: after?.outputs.result === undefined ? undefined : context.get(after.outputs.result),
    }),
  );
  await runner.close();
  await opened.close();
}
