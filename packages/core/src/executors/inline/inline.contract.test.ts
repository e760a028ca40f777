import { describeExecutorContract } from '../executor.contract.js';
import { InlineExecutor } from './inline-executor.js';

describeExecutorContract('inline', () => ({ executor: new InlineExecutor(), isolated: false }));
