// The W4 bench's project: the table steps only, its data (generated CSVs, the Parquet results) in
// ./data, git-ignored. `stepwise run bench/w4/workflow.json` from here is what bench/w4-whole-process.ts times.
import { defineConfig } from '@stepwise/core';

export default defineConfig({
  steps: ['@stepwise/dataframe'],
  dataRoot: './data',
  store: '.stepwise/store',
  logLevel: 'warn',
});
