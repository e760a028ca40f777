// Arquero keeps a table's columns in plain objects keyed by name, so a column named `__proto__`
// reads and writes the object's prototype instead: the column is lost (0 rows, nulls, a table the
// store cannot encode). Every other name, `constructor`, `toString` and the rest of Object.prototype's
// keys included, works like any name. So `__proto__` is refused where a table's names enter: a file's
// header or keys (the readers) and a step's config.
import { StepwiseError } from '@stepwise/core/define';
import { z } from 'zod';

/** Error code of a column name Stepwise's tables cannot hold. */
export const COLUMN_NAME_REFUSED = 'COLUMN_NAME_REFUSED';

/** The one column name refused: Arquero's tables cannot hold it. */
export const REFUSED_COLUMN_NAME = '__proto__';

/** Why the name is refused, for error messages. */
const REASON =
  'column name "__proto__" cannot be used (Arquero keys columns by name in plain objects, where it names the prototype); every other name works';

/**
 * Throws COLUMN_NAME_REFUSED when `names` hold `__proto__`; `where` names the place ("data/in.csv:1",
 * a config field) and starts the message.
 */
export function checkColumnNames(names: Iterable<string>, where: string): void {
  for (const name of names) {
    if (name === REFUSED_COLUMN_NAME) {
      throw new StepwiseError(COLUMN_NAME_REFUSED, `${where}: ${REASON}: rename that column`, {
        details: { where, column: name },
      });
    }
  }
}

/** A step config field that names a new column (rename's new names, aggregate's `as`): not `__proto__`. */
export function newColumnName() {
  return z
    .string()
    .min(1)
    .refine((name) => name !== REFUSED_COLUMN_NAME, `${REASON}: choose another name`);
}

/**
 * `record[key]` when it is the record's own key, else undefined: a lookup by column name that a
 * column named `constructor` or `toString` does not answer with Object.prototype's function.
 */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
