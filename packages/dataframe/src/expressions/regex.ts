import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';
import { ExpressionError } from './lexer.js';

/** A compiled regular expression of a document: RE2 syntax, matched in linear time (re2js). */
export type Pattern = RE2JS;

let re2: typeof RE2JS | undefined;

/**
 * re2js (a 260 KB module), loaded when the first pattern is compiled: importing the package, and
 * parsing an expression without a pattern, do not pay for it. Its RE2JS objects never leave this
 * module, so that `require` loads a copy other than `import 're2js'` would does not matter.
 */
function loadRe2(): typeof RE2JS {
  re2 ??= (createRequire(import.meta.url)('re2js') as { RE2JS: typeof RE2JS }).RE2JS;
  return re2;
}

/** The longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 1000;

/**
 * Compiles a pattern with RE2 semantics (no backreferences or lookaround: matching time is linear in
 * the input, so a hostile pattern cannot stall a process). Flags go inline, e.g. `(?i)north`.
 * @throws ExpressionError at `position` when the pattern is too long or not valid RE2 syntax
 */
export function compilePattern(source: string, position: number): Pattern {
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new ExpressionError(position, `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  try {
    return loadRe2().compile(source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ExpressionError(position, `the pattern is not a valid RE2 regular expression: ${message}`);
  }
}

/** True when the pattern matches somewhere in the text. */
export function patternTest(pattern: Pattern, text: string): boolean {
  return pattern.matcher(text).find();
}

/** The text of the first match (or of its capture group `group`), or null when there is none. */
export function patternMatch(pattern: Pattern, text: string, group: number | string = 0): string | null {
  const matcher = pattern.matcher(text);
  if (!matcher.find()) return null;
  try {
    return matcher.group(group);
  } catch {
    return null;
  }
}

/** The text with every match replaced; `$1` or `$<name>` in the replacement insert a group. */
export function patternReplace(pattern: Pattern, text: string, replacement: string): string {
  return pattern.matcher(text).replaceAll(replacement);
}
