/**
 * @stepwise/core/testing: the contract suites every store and executor passes, for vitest. A new
 * store or executor in another package imports them and runs the same tests as the built-in ones.
 * @example
 * import { CONTRACT_STEP_MODULE, describeExecutorContract, describeStoreContract } from '@stepwise/core/testing';
 * describeStoreContract('MyStore', () => new MyStore(freshDir()));
 * describeExecutorContract('MyExecutor', () => new MyExecutor({ stepModules: [CONTRACT_STEP_MODULE] }));
 * @packageDocumentation
 */

// store contracts: values, run records, the cache index, and a whole store
export { describeCacheIndexContract } from './cache-index-contract.js';
// what the suites share: options with skips, the inputs stores must refuse, a registry with a user type
export {
  BAD_CACHE_KEYS,
  BAD_REFS,
  BAD_RUN_IDS,
  type ContractOptions,
  type ContractSkips,
  codeOf,
  contractRegistry,
} from './contract-kit.js';
export { ContractTable, ContractTableType, contractOwnRegistry } from './contract-steps.js';
// the executor contract, and the step types it runs (the module executors off the runner's thread load)
export {
  CONTRACT_STEP_MODULE,
  describeExecutorContract,
  ISOLATION_TESTS,
  outputOf,
  type Reported,
  type RunOnOptions,
  runOn,
} from './executor-contract.js';
export { describeRunStoreContract, sampleRunRecord } from './run-store-contract.js';
export { describeStoreContract } from './store-contract.js';
export { describeValueStoreContract, refCalls } from './value-store-contract.js';
