import { defineConfig } from '@stepwise/core';

// The step modules the runner, its worker threads and `stepwise` load.
export default defineConfig({ steps: ['./steps.ts'] });
