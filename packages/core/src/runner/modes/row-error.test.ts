// "A row error in a row_iterative step does not name the row": it names the row of the whole input,
// with the row's values (bounded), on every executor (threads: threads-runner.test.ts and the
// executor contract's coded-error test).
import { describe, expect, it } from 'vitest';
import { RuntimeContext } from '../../context/runtime-context.js';
import { StepwiseError } from '../../errors/stepwise-error.js';
import { createStepType } from '../../registry/define-step-type.js';
import { StepRegistry } from '../../registry/step-registry.js';
import { workflow } from '../fixtures.contract.js';
import { WorkflowRunner } from '../workflow-runner.js';

const rows = Array.from({ length: 10 }, (_, id) => ({ id, region: id === 7 ? 'r'.repeat(1024 * 1024) : 'north' }));

function rowStep(fn: (row: { id: number }) => unknown) {
  const registry = new StepRegistry();
  return registry.register(
    createStepType({ slug: 'per_row', inputType: 'JSON', outputType: 'JSON', mode: 'row_iterative' }, fn as never),
  );
}

async function failingRow(fn: (row: { id: number }) => unknown, workers: number) {
  const type = rowStep(fn);
  const wf = workflow(
    [{ id: 'rows', type, inputs: { input: { input: 'rows' } }, strategy: { workers, executor: 'inline' } }],
    {
      inputs: { rows: { type: 'JSON' } },
    },
  );
  const context = new RuntimeContext();
  const run = await new WorkflowRunner().run(wf, { context, inputs: { rows: context.put(rows, { type: 'JSON' }) } });
  return run.steps.get('rows')?.error;
}

describe('a row that fails in a row_iterative step', () => {
  for (const workers of [1, 3]) {
    it(`is named by its index in the input and its values, bounded (inline, workers ${workers})`, async () => {
      const error = await failingRow((row) => {
        if (row.id === 7) throw new StepwiseError('ROW_REJECTED', 'region too long', { details: { limit: 10 } });
        return row;
      }, workers);
      expect(error).toMatchObject({
        name: 'RowError',
        code: 'ROW_REJECTED',
        details: { row: 7, limit: 10, values: { id: 7 } },
        cause: { message: 'region too long', code: 'ROW_REJECTED' },
      });
      expect(error?.message).toMatch(/^Row 7 \(\{"id":7,"region":"r+…\) failed: region too long$/);
      expect(error?.message.length).toBeLessThan(400);
      expect(JSON.stringify(error?.details).length).toBeLessThan(2048);
    });
  }

  it('a rejection after the first asynchronous row is named the same way', async () => {
    const error = await failingRow(async (row) => {
      if (row.id === 4) throw new Error('late failure');
      return row;
    }, 1);
    expect(error).toMatchObject({ name: 'RowError', code: 'UNKNOWN_ERROR', details: { row: 4, values: { id: 4 } } });
    expect(error?.message).toBe('Row 4 ({"id":4,"region":"north"}) failed: late failure');
  });

  it('a row function that returns undefined names the row', async () => {
    const error = await failingRow((row) => (row.id === 2 ? undefined : row), 1);
    expect(error?.message).toMatch(
      /^Row 2 \(\{"id":2,"region":"north"\}\) failed: the row function returned undefined/,
    );
  });
});
