import { type CommandIO, ExitCode, println } from '../io.js';
import type { GlobalOptions } from '../options.js';
import { openProject } from '../project.js';
import { importQueue } from '../queue.js';

/** Options of `stepwise worker`. */
export interface WorkerCommandOptions extends GlobalOptions {
  concurrency?: number;
}

/** How long running jobs may finish on SIGTERM before they go back to the queue, unless the config says. */
const DEFAULT_GRACE_MS = 10_000;

/**
 * `stepwise worker`: takes jobs from the project's queue (the config's `queue` section) and runs
 * them with the project's step modules until Ctrl-C or SIGTERM; then lets running jobs finish for
 * `queue.shutdownGraceMs`, hands back the rest, and exits 0.
 * @throws StepwiseError `QUEUE_UNAVAILABLE`, `CONFIG_LOAD_FAILED`, `EXECUTOR_UNAVAILABLE`
 */
export async function workerCommand(io: CommandIO, options: WorkerCommandOptions): Promise<number> {
  const project = await openProject(io, options);
  const { config } = project;
  const { QueueWorker } = await importQueue();
  const concurrency = options.concurrency ?? config.queue.concurrency ?? 1;
  const worker = new QueueWorker({
    ...config.queue,
    stepModules: config.steps,
    root: config.root,
    concurrency,
    logger: project.log.logger,
  });
  await worker.start();
  println(
    io.stdout,
    `Worker ${worker.name} taking jobs from ${worker.redis} (prefix ${config.queue.prefix}, concurrency ${concurrency}, store ${config.queue.store}). Stop it with Ctrl-C or SIGTERM.`,
  );
  if (io.signal !== undefined && !io.signal.aborted)
    await new Promise((resolve) => io.signal?.addEventListener('abort', resolve, { once: true }));
  const running = worker.running;
  await worker.close(config.queue.shutdownGraceMs ?? DEFAULT_GRACE_MS);
  println(
    io.stdout,
    `Worker ${worker.name} stopped${running > 0 ? ` (${running} running jobs finished or handed back)` : ''}.`,
  );
  return ExitCode.OK;
}
