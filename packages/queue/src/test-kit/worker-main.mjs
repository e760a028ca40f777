/**
 * A queue worker in a child process, for tests, run as production runs it (plain node, the built
 * package): `node worker-main.mjs '<QueueWorkerOptions as JSON, with graceMs>'`. Prints `ready` once
 * it takes jobs, logs to stderr, closes on SIGTERM and prints `closed`.
 */
import { QueueWorker } from '../../dist/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const log =
  (level) =>
  (...args) =>
    process.stderr.write(`${level} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
const worker = new QueueWorker({ ...options, logger });
await worker.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void worker.close(options.graceMs).then(() => {
    process.stdout.write('closed\n');
    process.exit(0);
  });
});
