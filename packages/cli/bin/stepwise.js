#!/usr/bin/env node
// The `stepwise` bin. It exists before the build (unlike dist/), so `npm install` on a fresh clone links
// it; it then runs the built command, or says how to build it.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (existsSync(built)) {
  try {
    await import(built.href);
  } catch (error) {
    // a project whose zod is not zod 4 stops while @stepwise/core loads, before the command can report it
    if (error?.code !== 'ZOD_VERSION_UNSUPPORTED') throw error;
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = 2;
  }
} else {
  process.stderr.write('stepwise: @stepwise/cli is not built yet. Run `npm run build` (or `npm start`) first.\n');
  process.exitCode = 1;
}
