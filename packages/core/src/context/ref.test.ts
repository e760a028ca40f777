import { describe, expect, it } from 'vitest';
import { BAD_REFS, BAD_RUN_IDS } from '../testing/index.js';
import { assertRef, assertRunId, isRef, isRunId, newRef } from './ref.js';

describe('refs', () => {
  it('newRef makes distinct URL-safe refs that isRef accepts', () => {
    const refs = Array.from({ length: 1000 }, newRef);
    expect(new Set(refs).size).toBe(1000);
    for (const ref of refs) {
      expect(isRef(ref)).toBe(true);
      expect(encodeURIComponent(ref)).toBe(ref);
    }
  });

  it('isRef accepts the documented form and nothing else', () => {
    expect(isRef('ref_abcdefgh')).toBe(true);
    expect(isRef(`ref_${'A_-9'.repeat(16)}`)).toBe(true);
    for (const bad of BAD_REFS) expect(isRef(bad), JSON.stringify(bad)).toBe(false);
  });

  it('assertRef names the bad value and how to get a good one', () => {
    expect(() => assertRef('../etc/passwd')).toThrow(/got "\.\.\/etc\/passwd".*ctx\.put/);
    expect(() => assertRef(12)).toThrow(expect.objectContaining({ code: 'REF_INVALID' }));
  });

  it('run ids: run_ then 1 to 64 URL-safe characters', () => {
    expect(isRunId('run_1')).toBe(true);
    expect(isRunId(`run_${'a'.repeat(64)}`)).toBe(true);
    for (const bad of BAD_RUN_IDS) expect(isRunId(bad), JSON.stringify(bad)).toBe(false);
    expect(() => assertRunId('run_../x')).toThrow(expect.objectContaining({ code: 'RUN_ID_INVALID' }));
  });
});
