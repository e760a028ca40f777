import { CONTRACT_STEP_MODULE, describeExecutorContract } from '../executor.contract.js';
import { ThreadsExecutor } from './threads-executor.js';

describeExecutorContract('threads', () => ({
  executor: new ThreadsExecutor({ stepModules: [CONTRACT_STEP_MODULE], maxThreads: 2 }),
  isolated: true,
}));
