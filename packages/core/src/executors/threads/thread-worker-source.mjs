// The worker file piscina loads when Stepwise runs from its TypeScript sources (tests, `tsx`): it
// registers tsx's loader in this thread (on Node 20 a worker's `--import` does not reach dynamic
// imports), then loads the worker itself, so the worker and the step modules it imports share one
// module graph and one default registry. The built package loads thread-worker.js directly.
import { register } from 'tsx/esm/api';

register();
globalThis[Symbol.for('stepwise.tsx-registered')] = true;

export const { runThreadTask } = await import('./thread-worker.ts');
