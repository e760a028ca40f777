import { describe, expect, it } from 'vitest';
import { RuntimeContext } from '../context/index.js';
import type { RunEvent } from '../model/run.js';
import { StepRegistry } from '../registry/step-registry.js';
import { deferred, jsonStep, workflow } from './fixtures.contract.js';
import { WorkflowRunner } from './workflow-runner.js';

describe('retries', () => {
  it('a step failing twice then succeeding with retries 2 completes after 3 attempts', async () => {
    const registry = new StepRegistry();
    let calls = 0;
    const flaky = jsonStep(
      registry,
      'flaky',
      (_i, _p, ctx) => {
        calls += 1;
        if (calls < 3) throw new Error(`fail ${ctx.attempt}`);
        return ctx.attempt;
      },
      { source: true },
    );
    const events: RunEvent[] = [];
    const context = new RuntimeContext();
    const wf = workflow([{ id: 'f', type: flaky, strategy: { retries: 2, retryDelayMs: 1 } }]);
    const run = await new WorkflowRunner().run(wf, { context, onEvent: (e) => events.push(e) });
    expect(run.status).toBe('completed');
    expect(run.steps.get('f')?.attempts).toBe(3);
    expect(context.get(run.steps.get('f')?.output as string)).toBe(3);
    const retrying = events.filter((e) => e.type === 'step.retrying');
    expect(retrying.map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('fails after the last retry with the last error', async () => {
    const registry = new StepRegistry();
    const bad = jsonStep(
      registry,
      'bad',
      (_i, _p, ctx) => {
        throw new Error(`attempt ${ctx.attempt}`);
      },
      { source: true },
    );
    const run = await new WorkflowRunner().run(
      workflow([{ id: 'b', type: bad, strategy: { retries: 1, retryDelayMs: 0 } }]),
    );
    expect(run.steps.get('b')).toMatchObject({ status: 'failed', attempts: 2, error: { message: 'attempt 2' } });
  });
});

describe('timeouts', () => {
  it('fails a step that ignores its signal with STEP_TIMEOUT and aborts its signal', async () => {
    const registry = new StepRegistry();
    let seen: AbortSignal | undefined;
    const hang = jsonStep(
      registry,
      'hang',
      (_i, _p, ctx) => {
        seen = ctx.signal;
        return new Promise(() => {});
      },
      { source: true },
    );
    const late = jsonStep(
      registry,
      'late',
      () => new Promise((_r, reject) => setTimeout(() => reject(new Error('late')), 30)),
      { source: true },
    );
    const wf = workflow([
      { id: 'h', type: hang, strategy: { timeoutMs: 20 } },
      { id: 'l', type: late, strategy: { timeoutMs: 5 } },
    ]);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const run = await new WorkflowRunner().run(wf);
    await new Promise((r) => setTimeout(r, 60));
    process.off('unhandledRejection', onUnhandled);
    expect(run.steps.get('h')?.error?.code).toBe('STEP_TIMEOUT');
    expect(run.steps.get('l')?.error?.code).toBe('STEP_TIMEOUT');
    expect(seen?.aborted).toBe(true);
    expect((seen?.reason as { code?: string } | undefined)?.code).toBe('STEP_TIMEOUT');
    expect(unhandled).toEqual([]);
  });
});

describe('timeouts with retries', () => {
  it('retries an attempt that timed out, with a fresh signal', async () => {
    const registry = new StepRegistry();
    const signals: AbortSignal[] = [];
    const slowOnce = jsonStep(
      registry,
      'slow_once',
      (_i, _p, ctx) => {
        signals.push(ctx.signal);
        return ctx.attempt === 1 ? new Promise(() => {}) : 'fast';
      },
      { source: true },
    );
    const wf = workflow([{ id: 's', type: slowOnce, strategy: { timeoutMs: 10, retries: 1, retryDelayMs: 0 } }]);
    const run = await new WorkflowRunner().run(wf);
    expect(run.steps.get('s')).toMatchObject({ status: 'completed', attempts: 2 });
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
  });
});

describe('cancellation', () => {
  for (const concurrency of [1, 2]) {
    it(`cancels running steps promptly, even one ignoring its signal, and pending ones (concurrency ${concurrency})`, async () => {
      const registry = new StepRegistry();
      const started = deferred();
      const hang = jsonStep(
        registry,
        'hang',
        () => {
          started.resolve(undefined);
          return new Promise(() => {});
        },
        { source: true },
      );
      const inc = jsonStep(registry, 'inc', (n) => (n as number) + 1);
      const one = jsonStep(registry, 'one', () => 1, { source: true });
      const wf = workflow([
        { id: 'a', type: one },
        { id: 'h', type: hang },
        { id: 'after', type: inc },
      ]);
      const controller = new AbortController();
      const events: RunEvent[] = [];
      const running = new WorkflowRunner({ concurrency }).run(wf, {
        signal: controller.signal,
        onEvent: (e) => events.push(e),
      });
      await started.promise;
      controller.abort(new Error('user pressed stop'));
      const run = await running;
      expect(run.status).toBe('cancelled');
      expect([...run.steps.values()].map((s) => s.status)).toEqual(['completed', 'cancelled', 'cancelled']);
      expect(run.steps.get('h')?.error?.code).toBe('STEP_CANCELLED');
      expect(events.at(-1)?.type).toBe('run.cancelled');
    });
  }

  it('a run whose signal is already aborted cancels every step without running any', async () => {
    const registry = new StepRegistry();
    let calls = 0;
    const one = jsonStep(registry, 'one', () => ++calls, { source: true });
    const run = await new WorkflowRunner().run(workflow([{ id: 'a', type: one }]), { signal: AbortSignal.abort() });
    expect(run.status).toBe('cancelled');
    expect(calls).toBe(0);
  });
});

describe('concurrency', () => {
  it('runs independent steps at the same time with concurrency 2, and not with 1', async () => {
    for (const concurrency of [1, 2]) {
      const registry = new StepRegistry();
      const log: string[] = [];
      const slow = jsonStep(
        registry,
        'slow',
        async (_i, _p, ctx) => {
          log.push(`start ${ctx.stepId}`);
          await new Promise((r) => setTimeout(r, 10));
          log.push(`end ${ctx.stepId}`);
          return 1;
        },
        { source: true },
      );
      const wf = workflow([
        { id: 'x', type: slow },
        { id: 'y', type: slow },
      ]);
      const run = await new WorkflowRunner().run(wf, { concurrency });
      expect(run.status).toBe('completed');
      expect(log).toEqual(
        concurrency === 2 ? ['start x', 'start y', 'end x', 'end y'] : ['start x', 'end x', 'start y', 'end y'],
      );
    }
  });

  it('never runs more than the limit at once and waits for dependencies', async () => {
    const registry = new StepRegistry();
    let active = 0;
    let peak = 0;
    const order: string[] = [];
    const work = jsonStep(registry, 'work', async (_i, _p, ctx) => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 2));
      order.push(ctx.stepId);
      active -= 1;
      return 1;
    });
    const join = jsonStep(registry, 'join', (n) => n, { inputs: { a: 'JSON' } });
    const one = jsonStep(registry, 'one', () => 1, { source: true });
    const fan = ['p', 'q', 'r', 's', 't'].map((id) => ({ id, type: work, inputs: { input: { step: 'root' } } }));
    const wf = workflow([
      { id: 'root', type: one },
      ...fan,
      { id: 'join', type: join, inputs: { input: { step: 't' }, a: { step: 'p' } } },
    ]);
    const run = await new WorkflowRunner().run(wf, { concurrency: 2 });
    expect(run.status).toBe('completed');
    expect(peak).toBe(2);
    expect(order).toHaveLength(5);
    expect(run.steps.get('join')?.startedAt).toBeGreaterThanOrEqual(run.steps.get('t')?.endedAt as number);
  });
});

describe('many steps at once', () => {
  it('raises no MaxListenersExceededWarning when more than ten steps listen to the run signal', async () => {
    const registry = new StepRegistry();
    const listen = jsonStep(
      registry,
      'listen',
      (_i, _p, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => resolve(0), { once: true });
          setTimeout(() => resolve(1), 5);
        }),
      { source: true },
    );
    const steps = Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, type: listen, inputs: {} }));
    const timed = steps.map((step) => ({ ...step, id: `t${step.id}`, strategy: { timeoutMs: 1000 } }));
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const run = await new WorkflowRunner().run(workflow([...steps, ...timed]), {
        concurrency: 24,
        signal: new AbortController().signal,
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(run.status).toBe('completed');
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('a timed-out attempt that carries on', () => {
  it('does not log into its retry: its late ctx.log calls emit no step.log events', async () => {
    const registry = new StepRegistry();
    const late = deferred<void>();
    const slow = jsonStep(
      registry,
      'slow',
      async (_i, _p, ctx) => {
        if (ctx.attempt === 1) {
          await late.promise;
          ctx.log.info('late from attempt 1');
          return 'ignored';
        }
        ctx.log.info('from attempt 2');
        late.resolve();
        await new Promise((resolve) => setTimeout(resolve, 5));
        return 'done';
      },
      { source: true },
    );
    const events: RunEvent[] = [];
    const wf = workflow([{ id: 's', type: slow, strategy: { timeoutMs: 20, retries: 1, retryDelayMs: 1 } }]);
    const run = await new WorkflowRunner().run(wf, { context: new RuntimeContext(), onEvent: (e) => events.push(e) });
    expect(run.status).toBe('completed');
    const logs = events.filter((e) => e.type === 'step.log').map((e) => e.message);
    expect(logs).toEqual(['from attempt 2']);
  });
});
