import { ErrorCode } from '../errors/codes.js';
import { describeValue, StepwiseError } from '../errors/stepwise-error.js';

/** How to move a project to zod 4, said the same way by every zod check. */
export const ZOD_UPGRADE_HINT =
  "Upgrade it with `npm install zod@^4`; code that must stay on zod 3 can then import it from 'zod/v3'.";

/** True for a zod 4 schema (zod 4 keeps its internals under `_zod`; zod 3 under `_def` only). */
function isZod4(value: object): boolean {
  return '_zod' in value;
}

/**
 * Checks that a step type's `params` is a zod 4 schema.
 * @throws StepwiseError `ZOD_VERSION_UNSUPPORTED` for a zod 3 schema, `STEP_TYPE_INVALID` for anything else
 */
export function checkParamsSchema(slug: string, params: unknown): void {
  if (params !== null && typeof params === 'object' && isZod4(params)) return;
  if (params !== null && typeof params === 'object' && '_def' in params && 'safeParse' in params) {
    throw new StepwiseError(
      ErrorCode.ZOD_VERSION_UNSUPPORTED,
      `Step type "${slug}": its params schema was built with zod 3, and Stepwise needs a zod 4 schema. ` +
        "Import z from 'zod' with zod 4 installed (`npm install zod@^4`), or from 'zod/v4' where the module must stay on zod 3.25.",
      { details: { slug } },
    );
  }
  throw new StepwiseError(
    ErrorCode.STEP_TYPE_INVALID,
    `Step type "${slug}": params must be a zod schema such as z.object({ ... }), got ${describeValue(params)}.`,
    { details: { slug } },
  );
}
