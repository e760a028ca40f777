import { describe, expect } from 'vitest';
import { RuntimeContext } from '../context/runtime-context.js';
import type { Store } from '../context/store.js';
import type { MaybePromise } from '../maybe-promise.js';
import { describeCacheIndexContract } from './cache-index-contract.js';
import { type ContractOptions, type ContractSkips, contractRegistry, contractTests } from './contract-kit.js';
import { describeRunStoreContract } from './run-store-contract.js';
import { describeValueStoreContract } from './value-store-contract.js';

/**
 * Registers every store contract test for a whole {@link Store}: the value store, run store and
 * cache index contracts on its parts, and what holds across them (two contexts on one store share
 * values and cache entries). `make` answers a fresh, empty store per test; skips name tests of any
 * part.
 * @example
 * import { describeStoreContract } from '@stepwise/core/testing';
 * describeStoreContract('MyStore', () => new MyStore(freshDir()), {
 *   skip: [{ reason: 'runs live in SQLite, tested there', tests: ['runs: lists newest first, filtered by workflow, status and start time'] }],
 * });
 */
export function describeStoreContract(
  name: string,
  make: () => MaybePromise<Store>,
  options: ContractOptions<Store> = {},
): void {
  /** A part's factory (a whole new store, of which the part) and options (its own skips; dispose the whole store). */
  function part<T>(pick: (store: Store) => T, prefix: string): [() => Promise<T>, ContractOptions<T>] {
    const stores = new Map<T, Store>();
    const makePart = async () => {
      const store = await make();
      const subject = pick(store);
      stores.set(subject, store);
      return subject;
    };
    const dispose = async (subject: T) => {
      const store = stores.get(subject);
      stores.delete(subject);
      if (store !== undefined) await options.dispose?.(store);
    };
    return [makePart, { ...ownSkips(options, prefix), dispose }];
  }
  const stray = (options.skip ?? [])
    .flatMap((group) => group.tests)
    .filter((test) => !/^(values|runs|cache|store): /.test(test));
  if (stray.length > 0)
    throw new Error(`describeStoreContract: skips name tests it does not have: ${stray.join('; ')}`);
  describe(name, () => {
    describeValueStoreContract(name, ...part((store) => store.values, 'values: '));
    describeRunStoreContract(name, ...part((store) => store.runs, 'runs: '));
    describeCacheIndexContract(name, ...part((store) => store.cache, 'cache: '));
    describe(`${name}: store contract`, () => {
      const { test, done } = contractTests(make, { ...options, ...ownSkips(options, 'store: ') });
      test('store: two contexts on one store share values and cache entries', async (store) => {
        const a = new RuntimeContext<Store>({ store, registry: contractRegistry() });
        const b = new RuntimeContext<Store>({ store, registry: contractRegistry() });
        const ref = await a.put({ x: 3, y: 4 }, { type: 'Point' });
        await a.store.cache.set('k'.repeat(32), ref);
        expect(await b.store.cache.get('k'.repeat(32))).toBe(ref);
        expect(await b.get(ref)).toEqual({ x: 3, y: 4 });
      });
      done();
    });
  });
}

/** The skips of `options` that name tests starting with `prefix` (each part checks only its own). */
function ownSkips<T>(options: ContractOptions<T>, prefix: string): { skip?: ContractSkips } {
  if (options.skip === undefined) return {};
  const skip = options.skip
    .map((group) => ({ reason: group.reason, tests: group.tests.filter((test) => test.startsWith(prefix)) }))
    .filter((group) => group.tests.length > 0);
  return { skip };
}
