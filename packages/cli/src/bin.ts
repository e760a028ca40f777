#!/usr/bin/env node
import { runCommand } from './run-command.js';

// Ctrl-C cancels the run through its AbortSignal; the command exits 130 once the run has settled.
// A second Ctrl-C exits at once.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130);
  process.stderr.write('\nInterrupted: cancelling the run (Ctrl-C again to exit at once)…\n');
  controller.abort(new Error('Interrupted (SIGINT)'));
});

// `stepwise runs | head`: when the reader goes away, stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

// Keeps the process up while a step awaits something that holds no handle of its own (a promise that
// only Ctrl-C or a timeout settles); otherwise Node would end the process mid-run with code 13.
const keepAlive = setInterval(() => {}, 1 << 30);
const code = await runCommand(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  signal: controller.signal,
});
clearInterval(keepAlive);
process.exitCode = code;
if (code === 130) {
  // a step that ignores its signal may keep the process alive; the run is settled, so leave
  setTimeout(() => process.exit(code), 500).unref();
}
