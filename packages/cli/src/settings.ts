import { describeStepType, didYouMean, type JsonValue, type StepRegistry } from '@stepwise/core';
import { UsageError } from './usage-error.js';

/** One `--set step.key=value`, parsed. */
interface Setting {
  text: string;
  stepId: string;
  /** The keys from the step's config to the value set (`['threshold']`, `['columns', 'total']`). */
  path: string[];
  raw: string;
}

type JsonObject = { [key: string]: JsonValue };

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * The document with each `--set step.key=value` written into that step's config, as Kedro's `--params`.
 * The value is JSON when it parses as JSON (`0.5`, `true`, `["a"]`) unless the parameter takes text,
 * else the text itself (`other.csv`). The caller validates the result like any document, so an unknown
 * key or a bad value is reported with its path, and nothing runs.
 * @throws UsageError for a malformed `--set` or a step the workflow does not have
 */
export function applySettings(document: unknown, given: readonly string[], registry: StepRegistry): unknown {
  if (given.length === 0 || !isObject(document) || !Array.isArray(document.steps)) return document;
  const steps = document.steps.filter(isObject);
  const ids = steps.map((step) => String(step.id));
  // the params of the step types set, as JSON Schema (not the whole catalog's: ~30 conversions)
  const params = new Map<unknown, Record<string, unknown> | undefined>();
  const paramsOf = (slug: unknown) => {
    if (!params.has(slug)) {
      const type = typeof slug === 'string' ? registry.get(slug) : undefined;
      params.set(slug, type === undefined ? undefined : describeStepType(type).params);
    }
    return params.get(slug);
  };
  for (const setting of given.map(parseSetting)) {
    const step = steps.find((s) => s.id === setting.stepId);
    if (step === undefined) {
      throw new UsageError(
        `--set ${setting.text}: the workflow has no step "${setting.stepId}".${didYouMean(setting.stepId, ids)}`,
        [`Its steps: ${ids.join(', ')}.`],
      );
    }
    const schema = paramsOf(step.type);
    const config = isObject(step.config) ? step.config : {};
    step.config = config;
    write(config, setting, valueFor(setting.raw, schemaAt(schema, setting.path)));
  }
  return document;
}

function parseSetting(text: string): Setting {
  const equals = text.indexOf('=');
  const key = equals < 0 ? '' : text.slice(0, equals);
  const dot = key.indexOf('.');
  if (dot <= 0 || dot === key.length - 1) {
    throw new UsageError(`--set expects step.key=value, got ${JSON.stringify(text)}.`, [
      'For example: --set clean.threshold=0.5 or --set load.path=other.csv',
    ]);
  }
  return { text, stepId: key.slice(0, dot), path: key.slice(dot + 1).split('.'), raw: text.slice(equals + 1) };
}

/** Sets the value at `setting.path` under `config`, making the objects on the way. */
function write(config: JsonObject, setting: Setting, value: JsonValue): void {
  let at: JsonObject = config;
  for (let i = 0; i < setting.path.length - 1; i++) {
    const key = setting.path[i] as string;
    const next = at[key] ?? {};
    if (!isObject(next)) {
      const where = [setting.stepId, ...setting.path.slice(0, i + 1)].join('.');
      throw new UsageError(`--set ${setting.text}: ${where} is ${JSON.stringify(next)}, not an object with keys.`);
    }
    at[key] = next;
    at = next;
  }
  at[setting.path[setting.path.length - 1] as string] = value;
}

/** The JSON Schema of the parameter at `path`, when the params schema says. */
function schemaAt(schema: Record<string, unknown> | undefined, path: readonly string[]): Record<string, unknown> {
  let at: unknown = schema;
  for (const key of path) at = (at as { properties?: Record<string, unknown> } | undefined)?.properties?.[key];
  return isObject(at) ? at : {};
}

/** JSON when the text parses as JSON and the parameter does not take only text; the text otherwise. */
function valueFor(raw: string, schema: Record<string, unknown>): JsonValue {
  if (schema.type === 'string') return raw;
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    return raw;
  }
}
