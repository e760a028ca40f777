import { describe, expect, it } from 'vitest';
import { PushdownErrorCode as thrownCodes } from '../pushdown/run-lazy.js';
import { PushdownErrorCode } from './deferred.js';

describe("the entry's PushdownErrorCode", () => {
  it('is the codes the pushdown runner throws', () => {
    expect(PushdownErrorCode).toEqual(thrownCodes);
  });
});
