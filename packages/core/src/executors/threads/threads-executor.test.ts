import { afterAll, describe, expect, it } from 'vitest';
import { CONTRACT_STEP_MODULE, outputOf as runOn } from '../../testing/index.js';
import { ThreadsExecutor } from './threads-executor.js';

describe('ThreadsExecutor', () => {
  const executor = new ThreadsExecutor({
    stepModules: [CONTRACT_STEP_MODULE],
    maxThreads: 2,
    maxOldGenerationSizeMb: 24,
  });
  afterAll(() => executor.close());

  it('creates no thread before the first step', () => {
    expect(new ThreadsExecutor().threadCount).toBe(0);
  });

  it('a step that exhausts its heap fails with WORKER_OUT_OF_MEMORY; the next step runs on a fresh thread', async () => {
    const error = await runOn(executor, 'c_row_hog', [1]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'WORKER_OUT_OF_MEMORY' });
    expect(await runOn(executor, 'c_double', [1, 2, 3], { strategy: { workers: 2 } })).toEqual([2, 4, 6]);
  });

  it('a failing partition does not disturb the runs beside it', async () => {
    const [failed, fine] = await Promise.allSettled([
      runOn(executor, 'c_row_exit', [1, 2, 3]),
      runOn(executor, 'c_double', [5, 6]),
    ]);
    expect(failed).toMatchObject({ status: 'rejected', reason: { code: 'WORKER_EXITED' } });
    expect(fine).toEqual({ status: 'fulfilled', value: [10, 12] });
  });

  it('a step type missing from the step modules fails with STEP_TYPE_UNKNOWN naming the modules', async () => {
    const bare = new ThreadsExecutor({ stepModules: [] });
    try {
      const error = await runOn(bare, 'c_double', [1]).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'STEP_TYPE_UNKNOWN' });
      expect((error as Error).message).toContain('stepModules');
    } finally {
      await bare.close();
    }
  });

  it('close() ends the threads', async () => {
    const own = new ThreadsExecutor({ stepModules: [CONTRACT_STEP_MODULE] });
    await runOn(own, 'c_double', [1], { strategy: { workers: 1 } });
    expect(own.threadCount).toBeGreaterThan(0);
    await own.close();
    expect(own.threadCount).toBe(0);
  });
});
