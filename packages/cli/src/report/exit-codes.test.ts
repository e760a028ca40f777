import { describe, expect, it } from 'vitest';
import { ExitCode } from '../io.js';
import { exitCodeOf } from './errors.js';

describe('exit codes from error categories', () => {
  it('what was given is wrong, missing or too large: 2; cancelled: 130; anything else: 1', () => {
    expect(exitCodeOf('DOCUMENT_INVALID')).toBe(ExitCode.USAGE);
    expect(exitCodeOf('REF_NOT_FOUND')).toBe(ExitCode.USAGE);
    expect(exitCodeOf('DOCUMENT_TOO_LARGE')).toBe(ExitCode.USAGE);
    expect(exitCodeOf('CONFIG_LOAD_FAILED')).toBe(ExitCode.USAGE);
    expect(exitCodeOf('STEP_CANCELLED')).toBe(ExitCode.INTERRUPTED);
    expect(exitCodeOf('STORE_CORRUPT')).toBe(ExitCode.RUN_FAILED);
    expect(exitCodeOf('RUN_NOT_RESUMABLE')).toBe(ExitCode.RUN_FAILED);
    // a step library's own code is a failed step
    expect(exitCodeOf('ROW_REJECTED')).toBe(ExitCode.RUN_FAILED);
  });
});
