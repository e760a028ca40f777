import { describeExecutorContract, ISOLATION_TESTS } from '../../testing/index.js';
import { InlineExecutor } from './inline-executor.js';

describeExecutorContract('inline', () => new InlineExecutor(), {
  skip: [
    {
      reason: 'the inline executor shares the runner thread: nothing survives its exit or busy loop',
      tests: ISOLATION_TESTS,
    },
  ],
});
