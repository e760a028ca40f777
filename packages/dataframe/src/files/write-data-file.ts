import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { filesConfig, resolveOutputPath } from './data-root.js';

/**
 * Writes a file under the data root without following a link at write time: `write` fills a new
 * temporary file (created exclusively, so never through an existing link) in the target's real
 * folder, which then replaces the target in one rename. Readers never see half a file, and a
 * failed write leaves the old file as it was. The path is checked as {@link resolveOutputPath}
 * checks it (under the root after every symlink, never a file loaded as code).
 * @returns the absolute path as given (relative to the data root), for the step's FileReference
 * @throws StepwiseError `PATH_OUTSIDE_DATA_ROOT`, `WRITE_REFUSED`; whatever `write` throws
 * @example await writeDataFile('out/sales.csv', (file) => writeFile(file, text));
 */
export async function writeDataFile(path: string, write: (file: string) => Promise<void>): Promise<string> {
  const real = await resolveOutputPath(path);
  const temp = join(dirname(real), `.${basename(real)}.${randomBytes(6).toString('hex')}.tmp`);
  await (await open(temp, 'wx')).close();
  try {
    await write(temp);
    await rename(temp, real);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return resolve(filesConfig().dataRoot, path);
}
