// A process writing runs to a SQLite history while another does the same: saves, appends and events,
// each its own transaction. Prints one JSON line: how many writes failed, and their codes.
import { SqliteRunStore } from '@stepwise/history';

const [file, prefix, count] = process.argv.slice(2);
const store = new SqliteRunStore(file);
const failures = [];
const workflow = {
  format: 'stepwise.workflow',
  version: 1,
  id: 'w',
  name: 'w',
  description: '',
  inputs: {},
  steps: [],
  outputs: {},
};
for (let i = 0; i < Number(count); i++) {
  const id = `run_${prefix}${String(i).padStart(4, '0')}`;
  try {
    const record = {
      format: 'stepwise.run',
      version: 1,
      id,
      workflowId: prefix,
      status: 'running',
      startedAt: Date.now(),
      inputs: {},
      outputs: {},
      seq: 0,
      steps: [{ id: 'a', status: 'pending', attempts: 0 }],
      workflow,
    };
    store.save(record);
    for (let n = 0; n < 3; n++)
      store.append(id, [{ type: 'step', step: { id: 'a', status: 'running', attempts: n + 1 } }], {
        owner: { pid: process.pid, host: 'h', heartbeatAt: Date.now() },
      });
    store.appendEvents(id, [{ type: 'step.started', runId: id, seq: 0, ts: Date.now(), stepId: 'a', attempt: 1 }]);
    store.save({
      ...record,
      status: 'completed',
      endedAt: Date.now(),
      steps: [{ id: 'a', status: 'completed', attempts: 3 }],
    });
  } catch (error) {
    failures.push(error.code ?? error.message);
  }
}
store.close();
process.stdout.write(`${JSON.stringify({ failures })}\n`);
