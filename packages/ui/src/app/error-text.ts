import { ApiError } from '../api/types.js';

/** A failure as the app shows it: the server's message and its code. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
