// file: examples/tutorial/tutorial.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore, parseWorkflow, RuntimeContext, stringifyWorkflow, Workflow, WorkflowRunner } from '@stepwise/core';
import { addTax, orders } from './steps.js';

const dir = mkdtempSync(join(tmpdir(), 'stepwise-tutorial-'));
const ratesFile = join(dir, 'rates.json');

// 1. Compose a workflow in code: by StepType (config checked at compile time) or by slug.
const wf = new Workflow({ id: 'orders', name: 'Orders with tax, in euros' });
wf.add(orders, { count: 3 });
wf.add(addTax, { rate: 0.2 }, { id: 'taxed' });
wf.add('convert_currency', { ratesFile }, { id: 'in_eur' });

// 2. Serialize it to the JSON document, and load it back (validated on the way in).
const text = stringifyWorkflow(wf);
const loaded = parseWorkflow(text);

// 3. Run it; a file store keeps every output, so a failed run can be resumed later.
const context = new RuntimeContext({ store: new FileStore(join(dir, 'store')) });
const runner = new WorkflowRunner();
const run = await runner.run(loaded, { context });

// 4. The rates file does not exist yet: the last step failed, with the cause.
const failed = run.steps.get('in_eur');
console.log(run.status, failed?.error?.message, '<-', failed?.error?.cause?.message);
// failed cannot read exchange rates from /tmp/…/rates.json <- ENOENT: no such file or directory, …

// 5. Fix the cause and resume: only the failed step runs again; the others' outputs are reused.
writeFileSync(ratesFile, JSON.stringify({ EUR: 0.5 }));
const resumed = await runner.resume(run);
const taxed = context.get(resumed.steps.get('taxed')?.output ?? '');
const result = context.get(resumed.outputs.result ?? '');
console.log(resumed.status, result);
// completed [ { id: 1, amount: 10, gross: 6, currency: 'EUR' }, … ]

await runner.close();
rmSync(dir, { recursive: true, force: true });

export { failed, result, resumed, taxed, text };
