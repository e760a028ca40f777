import { defineConfig } from '@stepwise/core';

export default defineConfig({ steps: ['./steps.ts'], store: 'memory' });
