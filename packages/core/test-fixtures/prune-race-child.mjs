// The child process of prune-race.test.ts, on the built core (plain node starts fast):
//   node prune-race-child.mjs <store> <runs>
// runs a four-step workflow <runs> times on the FileStore in <store> while the test prunes it.
// Two of the steps take their output from the cache once an earlier run (of either process) put it
// there, so a run reads values that other, finished runs produced, the last step some 40 ms after
// the run took it. Prints one JSON line: how many
// runs completed, and each failure's code and message.
const [store, count] = process.argv.slice(2);
const core = await import(new URL('../dist/index.js', import.meta.url).href);
const { FileStore, RuntimeContext, StepRegistry, stepType, Workflow, WorkflowRunner } = core;

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const registry = new StepRegistry();
stepType({ slug: 'load', outputType: 'JSON', registry }, async () => {
  await pause(2);
  return Array.from({ length: 200 }, (_, i) => i);
});
stepType({ slug: 'double', inputType: 'JSON', outputType: 'JSON', registry }, async (rows) => {
  await pause(20);
  return rows.map((n) => n * 2);
});
stepType({ slug: 'total', inputType: 'JSON', outputType: 'JSON', registry }, async (rows) => {
  await pause(2);
  return rows.reduce((sum, n) => sum + n, 0);
});
const workflow = new Workflow({ id: 'race', name: 'Prune race', registry });
workflow.add('load', {}, { id: 'load', strategy: { cache: true } });
workflow.add('double', {}, { id: 'double' });
workflow.add('total', {}, { id: 'total', strategy: { cache: true } });
// reads the cached output of load a while after the run took it
workflow.add('double', {}, { id: 'again', inputs: { input: { step: 'load' } } });

const runner = new WorkflowRunner({ registry });
let completed = 0;
const failures = [];
for (let i = 0; i < Number(count); i++) {
  const context = new RuntimeContext({ store: new FileStore(store), registry });
  try {
    const run = await runner.run(workflow, { context });
    if (run.status === 'completed') completed += 1;
    else failures.push({ code: run.error?.code, message: run.error?.message });
  } catch (error) {
    failures.push({ code: error?.code, message: String(error?.message ?? error) });
  }
}
await runner.close();
process.stdout.write(`${JSON.stringify({ completed, failures })}\n`);
