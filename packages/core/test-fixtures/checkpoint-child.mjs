// The child process of kill-during-checkpoint.test.ts, on the built core (plain node starts fast):
//   node checkpoint-child.mjs run <store> <run-id>     runs 20 short steps, writing a heartbeat every 1 ms
//   node checkpoint-child.mjs resume <store> <run-id>  reads the run back and resumes it; prints JSON
// Both modes define the same step types, so the resume compares the same fingerprints.
const [mode, store, runId] = process.argv.slice(2);
const core = await import(new URL('../dist/index.js', import.meta.url).href);
const { FileStore, RuntimeContext, StepRegistry, stepType, Workflow, WorkflowRunner, loadRun } = core;

const registry = new StepRegistry();
stepType({ slug: 'start', outputType: 'JSON', registry }, () => 0);
stepType({ slug: 'tick', inputType: 'JSON', outputType: 'JSON', registry }, async (n) => {
  await new Promise((resolve) => setTimeout(resolve, 3));
  return n + 1;
});
const workflow = new Workflow({ id: 'ticks', name: 'Ticks', registry });
workflow.add('start', {}, { id: 'start' });
for (let i = 1; i <= 20; i++) workflow.add('tick', {}, { id: `t${i}` });

const runner = new WorkflowRunner({ registry, heartbeatMs: 1 });
const context = new RuntimeContext({ store: new FileStore(store), registry });
if (mode === 'run') {
  process.stdout.write('ready\n');
  await runner.run(workflow, { context, runId });
} else {
  let record;
  try {
    record = await loadRun(context.store.runs, runId);
  } catch (error) {
    process.stdout.write(JSON.stringify({ unreadable: String(error) }));
    process.exit(3);
  }
  const before = record?.status;
  const run = record === undefined || before === 'completed' ? undefined : await runner.resume(runId, { context });
  const done = await loadRun(context.store.runs, runId);
  const result = done?.outputs.result === undefined ? undefined : context.get(done.outputs.result);
  process.stdout.write(JSON.stringify({ before, after: run?.status ?? done?.status, result }));
}
await runner.close();
