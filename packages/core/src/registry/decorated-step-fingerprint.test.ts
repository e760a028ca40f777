// Regression: the decorator form registered `method.bind(this)`, whose source reads `[native code]`,
// so a decorated step type's body never reached its fingerprint (and a second body under one slug was accepted).
import { describe, expect, it } from 'vitest';
import { fingerprintOf } from '../keys/fingerprint.js';
import { stepType } from './define-step-type.js';
import { StepRegistry, stepTypeFingerprint } from './step-registry.js';

describe('the fingerprint of a decorated step type', () => {
  it('covers the method body, not the bound copy', () => {
    const registry = new StepRegistry();
    // biome-ignore lint/complexity/noStaticOnlyClass: the decorator form decorates static methods
    class Steps {
      @stepType({ slug: 'twice', inputType: 'JSON', outputType: 'JSON', registry })
      static twice(n: number) {
        return n * 2;
      }
    }
    void Steps;
    const fingerprint = stepTypeFingerprint(registry.require('twice'));
    expect(fingerprint).not.toContain('[native code]');
    expect(fingerprint).toContain('n * 2');
  });

  it('changes when the body is edited', () => {
    const first = new StepRegistry();
    const second = new StepRegistry();
    // biome-ignore lint/complexity/noStaticOnlyClass: the decorator form decorates static methods
    class Before {
      @stepType({ slug: 'scale', inputType: 'JSON', outputType: 'JSON', registry: first })
      static scale(n: number) {
        return n * 2;
      }
    }
    // biome-ignore lint/complexity/noStaticOnlyClass: the decorator form decorates static methods
    class After {
      @stepType({ slug: 'scale', inputType: 'JSON', outputType: 'JSON', registry: second })
      static scale(n: number) {
        return n * 3;
      }
    }
    void [Before, After];
    expect(fingerprintOf(first.require('scale'))).not.toBe(fingerprintOf(second.require('scale')));
  });

  it('refuses a second decorated method under one slug with another body: STEP_TYPE_CONFLICT', () => {
    const registry = new StepRegistry();
    // biome-ignore lint/complexity/noStaticOnlyClass: the decorator form decorates static methods
    class One {
      @stepType({ slug: 'shared', inputType: 'JSON', outputType: 'JSON', registry })
      static one(n: number) {
        return n + 1;
      }
    }
    void One;
    let caught: unknown;
    try {
      // biome-ignore lint/complexity/noStaticOnlyClass: the decorator form decorates static methods
      class Two {
        @stepType({ slug: 'shared', inputType: 'JSON', outputType: 'JSON', registry })
        static two(n: number) {
          return n - 1;
        }
      }
      void Two;
    } catch (error) {
      caught = error;
    }
    expect((caught as { code?: string } | undefined)?.code).toBe('STEP_TYPE_CONFLICT');
  });
});
