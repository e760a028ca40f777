#!/usr/bin/env node
// The `create-stepwise` bin (`npm create stepwise`). It exists before the build (unlike dist/), so
// `npm install` on a fresh clone links it; it then runs the built command, or says how to build it.
import { existsSync } from 'node:fs';

const built = new URL('../dist/bin.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  process.stderr.write('create-stepwise is not built yet. Run `npm run build` first.\n');
  process.exitCode = 1;
}
