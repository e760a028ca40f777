import { readFileSync } from 'node:fs';

/**
 * Versions a new project starts with: the ones Stepwise itself is built and tested with (a test
 * keeps them equal to the repository's). The Stepwise packages take this package's own version.
 */
export const TEMPLATE_VERSIONS = {
  zod: '4.6.7',
  tsx: '4.23.15',
  typescript: '5.9.3',
  '@types/node': '20.19.43',
} as const;

/** The version of create-stepwise, which every Stepwise package shares. */
export function stepwiseVersion(): string {
  const own = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return own.version;
}

/** The package.json of a new project named `name`. */
export function projectPackageJson(name: string): Record<string, unknown> {
  const stepwise = `^${stepwiseVersion()}`;
  const v = (pkg: keyof typeof TEMPLATE_VERSIONS) => `^${TEMPLATE_VERSIONS[pkg]}`;
  return {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      start: 'stepwise run workflows/orders.json',
      validate: 'stepwise validate workflows/orders.json',
      typecheck: 'tsc',
    },
    dependencies: {
      '@stepwise/cli': stepwise,
      '@stepwise/core': stepwise,
      '@stepwise/dataframe': stepwise,
      zod: v('zod'),
    },
    devDependencies: {
      '@types/node': v('@types/node'),
      tsx: v('tsx'),
      typescript: v('typescript'),
    },
  };
}
