// A step type built with a zod 3 schema used to register, then crash the catalog and validation with
// "Cannot read properties of undefined (reading 'def')". It now stops at registration, saying why.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod/v3';
import { stepType } from './define-step-type.js';
import { StepRegistry } from './step-registry.js';

const define = (params: unknown, registry = new StepRegistry()) =>
  stepType({ slug: 'legacy', params: params as z.ZodType, outputType: 'JSON', registry }, () => 1);

describe('a params schema of the wrong kind', () => {
  it('a zod 3 schema stops registration with ZOD_VERSION_UNSUPPORTED and how to fix it', () => {
    const registry = new StepRegistry();
    expect(() => define(z3.object({ threshold: z3.number() }), registry)).toThrow(
      expect.objectContaining({
        code: 'ZOD_VERSION_UNSUPPORTED',
        message: expect.stringMatching(
          /^Step type "legacy": its params schema was built with zod 3, and Stepwise needs a zod 4 schema\. Import z from 'zod' with zod 4 installed \(`npm install zod@\^4`\), or from 'zod\/v4'/,
        ),
      }),
    );
    expect(registry.has('legacy')).toBe(false);
    expect(() => registry.toJSON()).not.toThrow();
  });

  it('something that is not a schema is STEP_TYPE_INVALID, naming what it got', () => {
    expect(() => define({ threshold: 'number' })).toThrow(
      expect.objectContaining({
        code: 'STEP_TYPE_INVALID',
        message: expect.stringContaining('params must be a zod schema such as z.object({ ... }), got an object'),
      }),
    );
  });

  it('a zod 4 schema registers', () => {
    expect(define(z.object({ threshold: z.number() })).slug).toBe('legacy');
  });
});
