// The `op` functions an expression may call: a whitelist. A call to any other name is a parse error.
// Row functions get one value per argument and return one value; they give null when any argument is
// null (SQL's rule), except the null-handling ones. Aggregates reduce a column (nulls skipped) to one
// value, used on every row. The plain functions are Arquero's own (plain JavaScript over values:
// nothing here parses or compiles text); the regular-expression ones use RE2 (`regex.ts`).
import { type ArqueroModule, arquero } from '../arquero/load-arquero.js';
import { type Pattern, patternMatch, patternReplace, patternTest } from './regex.js';

/** What an `op` function is: a row function, a null-handling function, or an aggregate. */
export type OpKind = 'row' | 'null' | 'aggregate';

/** One whitelisted `op` function. */
export interface OpSpec {
  kind: OpKind;
  /** The fewest and most arguments. */
  min: number;
  max: number;
  /** The index of the argument that is a regular expression: a string literal, compiled once. */
  pattern?: number;
  /** The function over non-null argument values (for `null` kind: over all values), one value per argument. */
  row?: (...args: unknown[]) => unknown;
  /** The aggregate over the non-null values of the argument (all rows' values for `count`). */
  reduce?: (values: unknown[], rows: number) => unknown;
  /** One line for the docs. */
  doc: string;
}

type ArqueroOp = keyof ArqueroModule['op'];

/** An Arquero `op` function, looked up when an expression is compiled (so parsing does not load Arquero). */
function row(name: ArqueroOp, min: number, max: number, doc: string): OpSpec {
  return {
    kind: 'row',
    min,
    max,
    get row() {
      return arquero().op[name] as (...args: unknown[]) => unknown;
    },
    doc,
  };
}

function regexOp(fn: (pattern: Pattern, args: unknown[]) => unknown, min: number, max: number, doc: string): OpSpec {
  return { kind: 'row', min, max, pattern: 1, row: (...args) => fn(args[1] as Pattern, args), doc };
}

function aggregate(reduce: (values: unknown[], rows: number) => unknown, doc: string, min = 1): OpSpec {
  return { kind: 'aggregate', min, max: min, reduce, doc };
}

const numbers = (values: unknown[]): number[] => values.map(Number);
const sum = (values: unknown[]): number => numbers(values).reduce((a, b) => a + b, 0);

/** The running mean, as Arquero computes it (the same rounding). */
function mean(values: unknown[]): number | null {
  if (values.length === 0) return null;
  let m = 0;
  let n = 0;
  for (const v of numbers(values)) m += (v - m) / ++n;
  return m;
}

function quantile(values: unknown[], p: number): number | null {
  const sorted = numbers(values)
    .filter((v) => !Number.isNaN(v))
    .sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] as number;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return a + (b - a) * (h - lo);
}

function variance(values: unknown[]): number | null {
  if (values.length < 2) return null;
  const xs = numbers(values);
  const mean = sum(xs) / xs.length;
  return xs.reduce((acc, x) => acc + (x - mean) ** 2, 0) / (xs.length - 1);
}

function extreme(values: unknown[], better: (a: unknown, b: unknown) => boolean): unknown {
  if (values.length === 0) return null;
  let best = values[0];
  for (const v of values) if (better(v, best)) best = v;
  return best;
}

const ENTRIES: [string, OpSpec][] = [
  // null handling
  [
    'coalesce',
    {
      kind: 'null',
      min: 1,
      max: 64,
      row: (...args) => args.find((v) => v != null) ?? null,
      doc: 'the first argument that is not null',
    },
  ],
  ['is_null', { kind: 'null', min: 1, max: 1, row: (v) => v == null, doc: 'true when the value is null' }],
  ['is_valid', { kind: 'null', min: 1, max: 1, row: (v) => v != null, doc: 'true when the value is not null' }],
  // text
  ['lower', row('lower', 1, 1, 'lower case')],
  ['upper', row('upper', 1, 1, 'upper case')],
  ['trim', row('trim', 1, 1, 'without leading and trailing white space')],
  ['length', row('length', 1, 1, 'the number of UTF-16 code units of a text')],
  ['substring', row('substring', 2, 3, 'substring(text, start, end?): the characters from start (0-based) to end')],
  ['startswith', row('startswith', 2, 2, 'startswith(text, prefix)')],
  ['endswith', row('endswith', 2, 2, 'endswith(text, suffix)')],
  ['includes', row('includes', 2, 2, 'includes(text, part): the text contains part')],
  ['replace', row('replace', 3, 3, 'replace(text, part, replacement): the first occurrence of the text part')],
  ['parse_float', row('parse_float', 1, 1, 'the number a text starts with (NaN when none)')],
  ['parse_int', row('parse_int', 1, 2, 'parse_int(text, radix?): the integer a text starts with')],
  // regular expressions (RE2: linear time)
  [
    'test',
    regexOp((p, [s]) => patternTest(p, String(s)), 2, 2, 'test(text, "pattern"): the pattern matches somewhere'),
  ],
  [
    'match',
    regexOp(
      (p, [s, group]) => patternMatch(p, String(s), group as number | string | undefined),
      2,
      3,
      'match(text, "pattern", group?): the first match, or its group (number or name); null when none',
    ),
  ],
  [
    'regexp_replace',
    regexOp(
      (p, [s, , replacement]) => patternReplace(p, String(s), String(replacement)),
      3,
      3,
      'regexp_replace(text, "pattern", replacement): every match replaced; $1 or $<name> insert a group',
    ),
  ],
  // math
  ['abs', row('abs', 1, 1, 'absolute value')],
  ['round', row('round', 1, 1, 'nearest integer')],
  ['floor', row('floor', 1, 1, 'largest integer not above')],
  ['ceil', row('ceil', 1, 1, 'smallest integer not below')],
  ['trunc', row('trunc', 1, 1, 'integer part')],
  ['sign', row('sign', 1, 1, '-1, 0 or 1')],
  ['sqrt', row('sqrt', 1, 1, 'square root')],
  ['cbrt', row('cbrt', 1, 1, 'cube root')],
  ['exp', row('exp', 1, 1, 'e to the power')],
  ['log', row('log', 1, 1, 'natural logarithm')],
  ['log10', row('log10', 1, 1, 'base-10 logarithm')],
  ['log2', row('log2', 1, 1, 'base-2 logarithm')],
  ['pow', row('pow', 2, 2, 'pow(base, exponent)')],
  ['greatest', row('greatest', 1, 64, 'the largest argument')],
  ['least', row('least', 1, 64, 'the smallest argument')],
  ['is_nan', row('is_nan', 1, 1, 'true for NaN')],
  ['is_finite', row('is_finite', 1, 1, 'true for a finite number')],
  // dates (UTC, so the result does not depend on the machine's time zone)
  ['timestamp', row('timestamp', 1, 1, 'milliseconds since 1970-01-01 UTC')],
  ['utcyear', row('utcyear', 1, 1, 'the year, in UTC')],
  ['utcmonth', row('utcmonth', 1, 1, 'the month, in UTC, 0 (January) to 11, as in Arquero')],
  ['utcdate', row('utcdate', 1, 1, 'the day of the month, in UTC, 1 to 31')],
  ['utcdayofweek', row('utcdayofweek', 1, 1, 'the day of the week, in UTC, 0 (Sunday) to 6')],
  ['utchours', row('utchours', 1, 1, 'the hour, in UTC')],
  ['utcminutes', row('utcminutes', 1, 1, 'the minutes, in UTC')],
  ['utcseconds', row('utcseconds', 1, 1, 'the seconds, in UTC')],
  // aggregates: over the table's rows, nulls skipped; null when there is no value (count gives 0)
  ['count', aggregate((_values, rows) => rows, 'count(): the number of rows', 0)],
  ['valid', aggregate((values) => values.length, 'valid(x): the number of non-null values')],
  ['invalid', aggregate((values, rows) => rows - values.length, 'invalid(x): the number of null values')],
  ['distinct', aggregate((values) => new Set(values).size, 'distinct(x): the number of distinct non-null values')],
  ['sum', aggregate((values) => (values.length === 0 ? null : sum(values)), 'sum(x)')],
  ['mean', aggregate(mean, 'mean(x)')],
  ['min', aggregate((values) => extreme(values, (a, b) => (a as number) < (b as number)), 'min(x)')],
  ['max', aggregate((values) => extreme(values, (a, b) => (a as number) > (b as number)), 'max(x)')],
  ['median', aggregate((values) => quantile(values, 0.5), 'median(x), interpolated')],
  ['variance', aggregate(variance, 'variance(x), of a sample')],
  [
    'stdev',
    aggregate((values) => {
      const v = variance(values);
      return v === null ? null : Math.sqrt(v);
    }, 'stdev(x), of a sample'),
  ],
];

/** The whitelisted `op` functions by name. */
export const OPS: ReadonlyMap<string, OpSpec> = new Map(ENTRIES);
