await import('@stepwise/core'); await import('@stepwise/dataframe'); await import('./packages/cli/dist/run-command.js');
