import { StepwiseError } from '@stepwise/core/define';

/** Error code of a CSV file that cannot be read (ragged row, unterminated quote, bad encoding, bad value). */
export const CSV_INVALID = 'CSV_INVALID';

/** A CSV problem at a file and line: the message starts with `file:line:`. */
export function csvError(file: string, line: number, problem: string): StepwiseError {
  return new StepwiseError(CSV_INVALID, `${file}:${line}: ${problem}`, { details: { file, line } });
}
