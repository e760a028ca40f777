// A step module still on zod 3 (zod 4 ships it as 'zod/v3'): loading it must stop with one message.
import { stepType } from '@stepwise/core';
import { z } from 'zod/v3';

export const legacy = stepType(
  { slug: 'test_legacy', params: z.object({ n: z.number() }) as never, outputType: 'JSON' },
  () => [1],
);
