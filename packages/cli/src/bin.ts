#!/usr/bin/env node
import { readFileSync } from 'node:fs';

// Ctrl-C, SIGTERM (a service manager, `kill`) and SIGHUP (the terminal closed) cancel the run through
// its AbortSignal: running steps stop, the record is saved, and the command exits 128 + the signal's
// number (130, 143, 129) once the run has settled. A second signal exits at once.
const controller = new AbortController();
const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
let received: keyof typeof SIGNALS | undefined;
for (const [signal, exitCode] of Object.entries(SIGNALS) as [keyof typeof SIGNALS, number][]) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(exitCode);
    received = signal;
    const again = signal === 'SIGINT' ? 'Ctrl-C again' : `${signal} again`;
    const what = process.argv.slice(2).includes('worker') ? 'stopping the worker' : 'cancelling the run';
    process.stderr.write(`\nInterrupted (${signal}): ${what} (${again} to exit at once)…\n`);
    controller.abort(new Error(`Interrupted (${signal})`));
  });
}

// `stepwise runs | head`: when the reader goes away, stop quietly instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

// Keeps the process up while a step awaits something that holds no handle of its own (a promise that
// only a signal or a timeout settles); otherwise Node would end the process mid-run with code 13.
const keepAlive = setInterval(() => {}, 1 << 30);
const argv = process.argv.slice(2);
// `stepwise --version` answers before anything else loads (the commands load core, tables and DuckDB's bindings)
let code: number;
try {
  code = isVersionOnly(argv) ? printVersion() : await runAll(argv);
} finally {
  // also when loading the commands throws (a project on zod 3): bin/stepwise.js reports that, and the
  // process must then end
  clearInterval(keepAlive);
}
const exitCode = code === 130 && received !== undefined ? SIGNALS[received] : code;
process.exitCode = exitCode;
// The command is done: leave once stdout and stderr have taken what it wrote. Left to end by itself,
// Node first frees every object of its heap (tens of ms after a run, more on a busy machine), and a
// step that ignores its signal would keep the process alive. 'exit' listeners still run.
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(exitCode);

/** Resolves once `stream` has written out everything before (a pipe may be asynchronous), or failed to. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

function isVersionOnly(args: string[]): boolean {
  return args.length === 1 && (args[0] === '--version' || args[0] === '-V');
}

function printVersion(): number {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  process.stdout.write(`${version}\n`);
  return 0;
}

async function runAll(args: string[]): Promise<number> {
  const { runCommand } = await import('./run-command.js');
  return runCommand(args, {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
  });
}
