import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FileIdentity } from '../model/run.js';

/** Options of {@link identifyFile}. */
export interface IdentifyFileOptions {
  /** Also hash the content (SHA-256): a change that keeps the size and modification time is seen too. */
  hash?: boolean;
  /** Aborting it stops the hashing. */
  signal?: AbortSignal;
}

/**
 * The identity of a file for a step key: its size and modification time, and its content's SHA-256
 * when asked. `path` is how the step's config names it (kept in the identity and in messages),
 * `absolutePath` where it is (already checked to be allowed). A missing file is `{ path, missing: true }`.
 * @example files: (params) => Promise.all([identifyFile(params.path, resolve(root, params.path))])
 */
export async function identifyFile(
  path: string,
  absolutePath: string,
  options: IdentifyFileOptions = {},
): Promise<FileIdentity> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(absolutePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, missing: true };
    throw error;
  }
  const identity: FileIdentity = { path, size: info.size, mtimeMs: info.mtimeMs };
  if (options.hash === true) identity.sha256 = await hashFile(absolutePath, options.signal);
  return identity;
}

async function hashFile(path: string, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, signal === undefined ? {} : { signal });
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The identity as text, the same for equal identities: part of a step key. */
export function fileIdentityText(file: FileIdentity): string {
  if (file.missing === true) return `${file.path}|missing`;
  return `${file.path}|${file.size}|${file.mtimeMs}|${file.sha256 ?? ''}`;
}
