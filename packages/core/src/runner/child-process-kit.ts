// For tests that kill a child process at a line it prints (kill-after-step tests in core and history).
import { type ChildProcess, spawn } from 'node:child_process';

/** A child node process started by {@link startChild}. */
export interface StartedChild {
  proc: ChildProcess;
  /** Its exit code (null when killed by a signal) and everything it printed, stdout and stderr. */
  output: Promise<{ code: number | null; stdout: string }>;
  /** Resolves once the child printed `line`; rejects if it exits first. */
  printed(line: string): Promise<void>;
}

/** Runs `node <script> ...args`, killed after 60 s at the latest. */
export function startChild(script: string, args: readonly string[]): StartedChild {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  const waiting: { line: string; done: () => void }[] = [];
  const take = (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wait of waiting) if (stdout.split('\n').includes(wait.line)) wait.done();
  };
  proc.stdout?.on('data', take);
  proc.stderr?.on('data', take);
  const limit = setTimeout(() => proc.kill('SIGKILL'), 60_000);
  const output = new Promise<{ code: number | null; stdout: string }>((done) =>
    proc.on('exit', (code) => {
      clearTimeout(limit);
      done({ code, stdout });
    }),
  );
  const printed = (line: string) =>
    new Promise<void>((done, fail) => {
      waiting.push({ line, done });
      void output.then(({ stdout: all }) => fail(new Error(`exited before printing "${line}": ${all}`)));
    });
  return { proc, output, printed };
}
