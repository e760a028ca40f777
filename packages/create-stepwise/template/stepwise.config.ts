// The project configuration: what `npx stepwise` loads before it runs anything.
import { defineConfig } from '@stepwise/core';

export default defineConfig({
  // Step modules, relative to this file or package names: the table steps, then your own.
  steps: ['@stepwise/dataframe', './steps.ts'],
  // read_csv, write_csv, ... resolve relative paths under this folder, and may not leave it.
  dataRoot: './data',
  // Every run keeps its step outputs here, so it can be listed, shown, previewed and resumed.
  store: '.stepwise/store',
  logLevel: 'warn',
});
