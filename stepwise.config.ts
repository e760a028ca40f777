// The repository's project configuration: what `npx stepwise` and `npm start` load.
import { defineConfig } from '@stepwise/core';

export default defineConfig({
  // Step modules: the table step library (and the DataFrame type), then the examples' own step types.
  // Worker threads load this same list.
  steps: ['@stepwise/dataframe', './examples/sales/steps.ts', './examples/tutorial/steps.ts'],
  // read_csv, write_csv, ... resolve relative paths here, and may not leave it: a folder of data only,
  // never the repository root (a document could otherwise overwrite this file or a step module).
  dataRoot: './examples/data',
  // A file store, so that a failed or interrupted run can be resumed (`stepwise resume <run-id>`).
  store: '.stepwise/store',
  logLevel: 'warn',
});
