import { defineConfig } from '@stepwise/core';

// A data root that is not the working directory: worker threads must resolve paths under it too.
export default defineConfig({ steps: ['./steps.ts', '@stepwise/dataframe'], store: 'memory', dataRoot: './tables' });
