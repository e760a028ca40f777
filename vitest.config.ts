import { defineConfig } from 'vitest/config';
import { SummaryReporter } from './tests/summary-reporter.js';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/src/**/*.test.tsx',
      'examples/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    typecheck: { enabled: true, include: ['packages/*/src/**/*.test-d.ts'], tsconfig: './tsconfig.test.json' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // tests load the packages through their dist/: bundle them first, so a targeted run after an edit is not stale
    globalSetup: ['./scripts/bundle.mjs'],
    reporters: ['default', new SummaryReporter()],
  },
});
