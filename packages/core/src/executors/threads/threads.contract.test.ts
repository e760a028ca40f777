import { CONTRACT_STEP_MODULE, describeExecutorContract } from '../../testing/index.js';
import { ThreadsExecutor } from './threads-executor.js';

describeExecutorContract('threads', () => new ThreadsExecutor({ stepModules: [CONTRACT_STEP_MODULE], maxThreads: 2 }));
