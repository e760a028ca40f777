// the threads executor

// the worker-thread protocol: one request per task, reports on its port, one answer
export {
  type Packed,
  pack,
  type ThreadAnswer,
  type ThreadMessage,
  type ThreadReport,
  type ThreadRequest,
  unpack,
} from './thread-protocol.js';
export { ThreadsExecutor, type ThreadsExecutorOptions } from './threads-executor.js';
