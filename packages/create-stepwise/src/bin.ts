#!/usr/bin/env node
// `npm create stepwise [dir]` runs this: the same as `npx stepwise init [dir]`, without installing Stepwise first.
import { parseArgs } from 'node:util';
import { CreateProjectError, createProject } from './create-project.js';
import { nextSteps } from './next-steps.js';

const USAGE = `Usage: npm create stepwise [dir] [-- --force]

Creates a Stepwise project in dir (default: the current folder): package.json, stepwise.config.ts,
steps.ts, workflows/orders.json over data/orders.csv, tsconfig.json, .gitignore and a README.

Options:
  --force     write into a folder that is not empty (files of the same name are replaced)
  -h, --help  print this help

Examples:
  npm create stepwise my-project
  npx create-stepwise my-project
`;

function main(argv: string[]): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`create-stepwise: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const project = createProject({ dir: parsed.positionals[0] ?? '.', force: parsed.values.force === true });
    process.stdout.write(`${nextSteps(project, process.cwd()).join('\n')}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof CreateProjectError)) throw error;
    process.stderr.write(`create-stepwise: ${error.message}\n`);
    return 2;
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
}

process.exitCode = main(process.argv.slice(2));
