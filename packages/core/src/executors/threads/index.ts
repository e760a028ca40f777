// the threads executor

// the worker protocol, shared with other out-of-thread executors
export { runUnit } from './run-unit.js';
export { type Packed, pack, type ThreadAnswer, type ThreadRequest, unpack } from './thread-protocol.js';
export { ThreadsExecutor, type ThreadsExecutorOptions } from './threads-executor.js';
