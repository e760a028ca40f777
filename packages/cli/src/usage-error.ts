import type { ValidationIssue } from '@stepwise/core';

/** A mistake in how the command was called, or in a file it was given: printed without a stack, exit 2. */
export class UsageError extends Error {
  /** Extra lines printed after the message (issues, hints). */
  readonly lines: string[];
  /** The document's issues as data, for `validate --json`. */
  readonly issues: readonly ValidationIssue[];
  constructor(message: string, lines: string[] = [], issues: readonly ValidationIssue[] = []) {
    super(message);
    this.name = 'UsageError';
    this.lines = lines;
    this.issues = issues;
  }
}

/** Parses `name=value` (a `--input` or `--output` flag). */
function parseAssignment(flag: string, text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) {
    throw new UsageError(`${flag} expects name=value, got ${JSON.stringify(text)}.`, [
      `For example: ${flag} sales=examples/data/sales.csv`,
    ]);
  }
  return [text.slice(0, at), text.slice(at + 1)];
}

/** `name=value` flags as a record, each name checked against the ones the workflow declares. */
export function assignments(
  flag: string,
  given: string[] | undefined,
  known: string[],
  what: string,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const text of given ?? []) {
    const [name, value] = parseAssignment(flag, text);
    if (!known.includes(name)) {
      const list = known.length > 0 ? known.map((k) => `"${k}"`).join(', ') : 'none';
      throw new UsageError(`${flag} ${name}: the workflow has no ${what} "${name}" (it has: ${list}).`);
    }
    result[name] = value;
  }
  return result;
}

/** Parses `a,b` (a comma-separated option, repeatable) into its items (commander's argParser). */
export function list(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  ];
}

/** Collects a repeatable option's values (commander's argParser). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A parser (commander's argParser) of a flag taking a whole number of at least `min`. */
export function wholeNumber(flag: string, min: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isInteger(value) || value < min) {
      throw new UsageError(`${flag} expects a whole number of at least ${min}, got ${JSON.stringify(text)}.`);
    }
    return value;
  };
}

/** Parses `--concurrency`: a whole number of at least 1. */
export const parseConcurrency = wholeNumber('--concurrency', 1);
