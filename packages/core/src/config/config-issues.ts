import type { z } from 'zod';
import { describeValue } from '../errors/stepwise-error.js';

/** What each config field holds, as the sentence for a wrong value says it. */
const FIELDS: Readonly<Record<string, string>> = {
  steps: "a list of step modules (paths relative to the config, or package names), e.g. ['./steps.ts']",
  dataRoot: "a folder path, e.g. './data'",
  store: "'memory' or a folder path, e.g. '.stepwise/store'",
  workflows: "a folder path, e.g. './workflows'",
  history:
    "'sqlite:' and a file, e.g. 'sqlite:.stepwise/history.db', or a PostgreSQL URL, e.g. 'postgres://user@host:5432/db'",
  retention: '{ keepRuns, maxAgeDays, maxBytes }, each a number of at least 0, e.g. { keepRuns: 50 }',
  logLevel: 'one of silent, fatal, error, warn, info, debug, trace',
  queue:
    "an object of redis, store, prefix, concurrency, lockDurationMs, shutdownGraceMs, connectTimeoutMs, e.g. { redis: 'redis://127.0.0.1:6379' }",
};

/** `steps`, `steps[1]`: a config path as written in the file. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`),
    '',
  );
}

function valueAt(config: unknown, path: readonly PropertyKey[]): unknown {
  let value = config;
  for (const key of path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
  return value;
}

/**
 * The problems of a config object as sentences naming each field: `steps` must be …, not the text "x";
 * `colour` is not a config field (the fields: …). Never zod's own dump.
 */
export function configIssueSentences(config: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => `\`${fieldPath([...issue.path, key])}\``).join(', ');
      const fields = Object.keys(FIELDS).join(', ');
      return `${keys} ${issue.keys.length === 1 ? 'is not a config field' : 'are not config fields'} (the fields: ${fields})`;
    }
    const field = fieldPath(issue.path);
    const value = valueAt(config, issue.path);
    if (field === '')
      return `its default export must be an object, defineConfig({ steps: [...] }), not ${describeValue(value)}`;
    const top = typeof issue.path[0] === 'string' ? issue.path[0] : '';
    if (value === undefined) return `\`${field}\` is missing: it must be ${FIELDS[top] ?? 'set'}`;
    const expected = issue.path.length === 1 ? FIELDS[top] : undefined;
    const must = expected ?? (top === 'steps' ? 'a path or a package name (a non-empty string)' : issue.message);
    return `\`${field}\` must be ${must}, not ${describeValue(value)}`;
  });
}
