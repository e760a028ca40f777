import { boundedJson, ErrorBudget } from '../../errors/error-bounds.js';
import { StepwiseError } from '../../errors/stepwise-error.js';
import { ROW_ERROR } from '../../units/row-mapping.js';

/** Characters of a failing row's values shown in the message; `details.values` keeps up to 1 KiB. */
const SHOWN = 200;
const KEPT = 1024;

/**
 * A row's failure (a `RowError` from the unit that mapped it, here or across a thread) named by its
 * row in the whole input: `Row 1234 ({"id":1234,"region":"north"}) failed: value is rejected`, with
 * the same code and details, `details.row` (the index in the input) and `details.values` (the row,
 * bounded JSON); its cause is what the row function threw. Anything else is answered as it is.
 */
export function rowError(thrown: unknown, rows: readonly unknown[], offset: number): unknown {
  if (!(thrown instanceof StepwiseError) || thrown.name !== ROW_ERROR) return thrown;
  const local = thrown.details?.row;
  if (typeof local !== 'number') return thrown;
  const row = offset + local;
  const values = boundedJson(rows[row], new ErrorBudget(), KEPT);
  const shown = JSON.stringify(values) ?? 'undefined';
  const preview = shown.length > SHOWN ? `${shown.slice(0, SHOWN)}…` : shown;
  const message = thrown.message.replace(/^Row \d+ failed: /, '');
  const named = new StepwiseError(thrown.code, `Row ${row} (${preview}) failed: ${message}`, {
    ...(thrown.cause === undefined ? {} : { cause: thrown.cause }),
    details: { ...thrown.details, row, values },
  });
  named.name = ROW_ERROR;
  return named;
}
