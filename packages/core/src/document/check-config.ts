import { z } from 'zod';
import { ErrorCode } from '../errors/codes.js';
import { describeValue, toStepError } from '../errors/stepwise-error.js';
import {
  type IssueData,
  type PathSegment,
  type ValidationIssue,
  validationIssue,
} from '../errors/workflow-validation-error.js';
import type { JsonObject } from '../model/json.js';
import { closest } from '../registry/closest.js';
import type { StepType } from '../registry/step-type.js';
import type { ContentContext } from './content-context.js';

/** The outcome of checking one step's config. */
export type ConfigCheck = { ok: true; params: unknown } | { ok: false };

/** Params schemas made strict, per step type: built once, when a config first has a key outside the shape. */
const strictSchemas = new WeakMap<z.ZodType, z.ZodType>();

/**
 * How configs are parsed: `jitless` skips zod's compiled fast path for objects, whose compilation (on
 * a schema's first parse) costs more than the one parse a config gets in a run; the parse is the same.
 * A per-parse option: zod's global config, a user's own, is left alone.
 */
const PARSE_OPTIONS = { reportInput: true, jitless: true } as const;

/**
 * Parses a step's config with its type's params schema and reports every zod issue re-rooted under
 * `steps[i].config`. A plain `z.object` is treated as strict: unknown config keys are errors, since
 * a misspelt key would otherwise be silently ignored.
 */
export function checkConfig(context: ContentContext, index: number, stepType: StepType): ConfigCheck {
  const step = context.steps[index];
  if (step === undefined) return { ok: false };
  let result: z.ZodSafeParseResult<unknown>;
  const config = step.config ?? {};
  try {
    result = schemaFor(stepType.params, config).safeParse(config, PARSE_OPTIONS);
  } catch (error) {
    const message = toStepError(error).message;
    const [base, label] = where(index, step.id, stepType);
    context.issues.push(
      validationIssue(ErrorCode.CONFIG_INVALID, base, `Config of ${label} could not be checked: ${message}`),
    );
    return { ok: false };
  }
  if (result.success) return { ok: true, params: result.data };
  const [base, label] = where(index, step.id, stepType);
  for (const issue of result.error.issues) context.issues.push(...configIssues(issue, base, label, stepType));
  return { ok: false };
}

function where(index: number, id: string, stepType: StepType): [PathSegment[], string] {
  return [['steps', index, 'config'], `step "${id}" (${stepType.slug})`];
}

/**
 * The schema `config` is parsed with: `params` made strict when it is a plain `z.object` (no catchall:
 * not `looseObject`, `passthrough` or `catchall`). A config with no key outside the shape parses
 * alike with and without strictness (same value, same issues), so `params` itself parses it, and the
 * strict copy (a clone, costly to build) is made only for a config with an unknown key. zod's
 * `instanceof` goes by the schema's traits, so it holds for a schema built by another copy of zod 4
 * too; a `zod/mini` object has no `.strict()` and is left as it is.
 */
function schemaFor(params: z.ZodType, config: JsonObject): z.ZodType {
  if (!(params instanceof z.ZodObject) || params._zod.def.catchall !== undefined) return params;
  const shape = params._zod.def.shape;
  if (Object.keys(config).every((key) => Object.hasOwn(shape, key))) return params;
  let strict = strictSchemas.get(params);
  if (strict === undefined) {
    strict = params.strict();
    strictSchemas.set(params, strict);
  }
  return strict;
}

function configIssues(
  issue: z.core.$ZodIssue,
  base: PathSegment[],
  label: string,
  stepType: StepType,
): ValidationIssue[] {
  const path = [...base, ...issue.path.filter((key): key is PathSegment => typeof key !== 'symbol')];
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(stepType);
    const expected = known.length > 0 ? `one of: ${known.join(', ')}` : 'no keys';
    return issue.keys.map((key) =>
      validationIssue(
        ErrorCode.CONFIG_INVALID,
        [...path, key],
        `Unknown config key "${key}" for ${label}; expected ${expected}.`,
        {
          suggestions: closest(key, known),
          expected,
          actual: JSON.stringify(key),
        },
      ),
    );
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    const message = `Config of ${label} is missing a required value; expected ${issue.expected}.`;
    return [validationIssue(ErrorCode.CONFIG_INVALID, path, message, { expected: issue.expected })];
  }
  if (issue.code === 'invalid_type') {
    const actual = describeValue(issue.input);
    const message = `Config of ${label}: expected ${issue.expected}, got ${actual}.`;
    return [validationIssue(ErrorCode.CONFIG_INVALID, path, message, { expected: issue.expected, actual })];
  }
  if (issue.code === 'invalid_value') {
    const expected = `one of: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    const data = { expected, ...(issue.input === undefined ? {} : { actual: describeValue(issue.input) }) };
    return [validationIssue(ErrorCode.CONFIG_INVALID, path, `Config of ${label}: ${issue.message}.`, data)];
  }
  if (issue.code === 'custom') {
    // a step type's own check says what it expected in the issue's params: { expected, actual }
    const data: IssueData = {};
    const expected = textParam(issue.params, 'expected');
    const actual = textParam(issue.params, 'actual');
    if (expected !== undefined) data.expected = expected;
    if (actual !== undefined) data.actual = actual;
    return [validationIssue(ErrorCode.CONFIG_INVALID, path, `Config of ${label}: ${issue.message}.`, data)];
  }
  return [validationIssue(ErrorCode.CONFIG_INVALID, path, `Config of ${label}: ${issue.message}.`)];
}

function textParam(params: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = params?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** The keys of an object schema (classic or `zod/mini`), for messages about unknown keys. */
function knownKeys(stepType: StepType): string[] {
  const params = stepType.params;
  return params instanceof z.core.$ZodObject ? Object.keys(params._zod.def.shape) : [];
}
