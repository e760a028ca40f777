import { defineConfig } from '@stepwise/core';

export default defineConfig({ steps: ['./zod3-steps.ts'], store: 'memory' });
