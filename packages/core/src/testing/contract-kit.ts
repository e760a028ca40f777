import { it } from 'vitest';
import type { MaybePromise } from '../maybe-promise.js';
import { isPlainObject } from '../model/json.js';
import { StepRegistry } from '../registry/step-registry.js';

/**
 * Tests a contract suite leaves out, with the reason printed beside each: how an implementation
 * says what it does not do (a store that cannot keep a value of an unregistered type, an executor
 * that cannot survive a process exit), as hono's shared router tests do.
 * @example [{ reason: 'values are kept in another service', tests: ['values: shares values between two contexts'] }]
 */
export type ContractSkips = readonly { reason: string; tests: readonly string[] }[];

/** What every contract suite takes besides its factory. */
export interface ContractOptions<T> {
  /** Tests to leave out, by name, each with its reason. */
  skip?: ContractSkips;
  /** Called after each test with the subject it made (close a connection, drop a schema). */
  dispose?: (subject: T) => MaybePromise<void>;
}

/** Registers a contract suite's tests; `done()` registers the check of its skips. */
export interface ContractTests<T> {
  test(name: string, body: (subject: T) => Promise<void> | void): void;
  done(): void;
}

/**
 * Registers contract tests: a fresh subject from `make` per test, disposed after it, or a skip
 * whose name carries the reason. `done()` adds a test that fails when a skip names a test the
 * suite does not have, so a renamed test cannot be skipped by a stale list.
 */
export function contractTests<T>(make: () => MaybePromise<T>, options: ContractOptions<T>): ContractTests<T> {
  const reasons = new Map<string, string>();
  for (const group of options.skip ?? []) for (const test of group.tests) reasons.set(test, group.reason);
  const seen = new Set<string>();
  return {
    test(name, body) {
      seen.add(name);
      const reason = reasons.get(name);
      if (reason !== undefined) {
        it.skip(`${name} (skipped: ${reason})`, () => {});
        return;
      }
      it(name, async () => {
        const subject = await make();
        try {
          await body(subject);
        } finally {
          await options.dispose?.(subject);
        }
      });
    },
    done() {
      it('skips only tests the suite has', () => {
        const unknown = [...reasons.keys()].filter((name) => !seen.has(name));
        if (unknown.length > 0) throw new Error(`Contract skips name tests that do not exist: ${unknown.join('; ')}`);
      });
    },
  };
}

/** The code of what `run` throws or rejects with; `NO_ERROR` when it succeeds, `NO_CODE` for an error without one. */
export async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as { code?: string } | null)?.code ?? 'NO_CODE';
  }
  return 'NO_ERROR';
}

/** Strings and values that must never be taken for a ref. */
export const BAD_REFS: readonly unknown[] = [
  '../etc/passwd',
  'ref_../../x',
  'ref_a/b',
  'ref_abcdefgh/../../x',
  'ref_abcdefgh\\x',
  'ref_abcdefgh.meta.json',
  'ref_abcdefgh\n',
  '/etc/passwd',
  'C:\\Windows\\x',
  '',
  'ref_',
  'ref_short',
  `ref_${'a'.repeat(65)}`,
  'REF_abcdefgh',
  ' ref_abcdefgh',
  42,
  null,
  undefined,
  {},
  ['ref_abcdefgh'],
];

/** Strings and values that must never be taken for a cache key. */
export const BAD_CACHE_KEYS: readonly unknown[] = [
  '',
  'short',
  '../../etc/passwd0000',
  'abcdefgh/ijklmnop',
  'abcdefghijklmnop.json',
  'abcdefghijklmnop\n',
  'a'.repeat(129),
  42,
  null,
];

/** Strings and values that must never be taken for a run id. */
export const BAD_RUN_IDS: readonly unknown[] = [
  '',
  'run_',
  'run_../x',
  '../run_x',
  'run_a/b',
  '/tmp/run_x',
  'run_a.json',
  'sales',
  `run_${'a'.repeat(65)}`,
  7,
  null,
];

interface Point {
  x: number;
  y: number;
}

/** A registry with the built-in data types plus `Point`, a user-defined one the store contract stores. */
export function contractRegistry(): StepRegistry {
  const registry = new StepRegistry();
  registry.registerDataType<Point>({
    name: 'Point',
    is: (v): v is Point => isPlainObject(v) && typeof v.x === 'number' && typeof v.y === 'number',
    encode: (p) => new TextEncoder().encode(`${p.x},${p.y}`),
    decode: (bytes) => {
      const [x, y] = new TextDecoder().decode(bytes).split(',').map(Number);
      return { x: x ?? 0, y: y ?? 0 };
    },
    preview: (p) => ({ x: p.x, y: p.y }),
  });
  return registry;
}
