// Imported first by the package's Node entry: with zod 3 under it, every schema would fail later with
// "Cannot read properties of undefined (reading 'def')"; this says what is wrong once, at import.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ErrorCode } from '../errors/codes.js';
import { StepwiseError } from '../errors/stepwise-error.js';
import { ZOD_UPGRADE_HINT } from './zod-version.js';

/** The version and folder of the `zod` this package resolves, when they can be found. */
function installedZod(): { version?: string; dir?: string } {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve('zod'));
    for (let up = 0; up < 4 && !existsSync(join(dir, 'package.json')); up++) dir = dirname(dir);
    const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    return name === 'zod' && typeof version === 'string' ? { version, dir } : {};
  } catch {
    return {};
  }
}

/**
 * Throws unless the `zod` this package resolves is zod 4.
 * @throws StepwiseError `ZOD_VERSION_UNSUPPORTED`
 */
export function assertZod4(): void {
  if ('_zod' in z.string()) return;
  const { version, dir } = installedZod();
  const found = `zod ${version ?? '3'}${dir === undefined ? '' : ` (${dir})`}`;
  throw new StepwiseError(
    ErrorCode.ZOD_VERSION_UNSUPPORTED,
    `Stepwise needs zod 4, but this project's zod is ${found}. ${ZOD_UPGRADE_HINT}`,
    { details: { ...(version === undefined ? {} : { version }) } },
  );
}

assertZod4();
