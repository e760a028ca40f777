import { errorCategory, type StepErrorInfo, toStepError, type ValidationIssue } from '@stepwise/core';
import { type CommandIO, ExitCode, println, useColor } from '../io.js';
import { UsageError } from '../usage-error.js';
import { colors } from '../view/format.js';

/**
 * The exit code of an error that ended a command, from its code's category (core's one table):
 * what was given is wrong, missing or too large → 2; a cancelled run → 130; anything else → 1.
 */
export function exitCodeOf(code: string): ExitCode {
  switch (errorCategory(code)) {
    case 'invalid':
    case 'not_found':
    case 'too_large':
      return ExitCode.USAGE;
    case 'cancelled':
      return ExitCode.INTERRUPTED;
    default:
      return ExitCode.RUN_FAILED;
  }
}

/** Prints an error that ended a command (no stack unless `verbose`) and returns its exit code. */
export function reportError(io: CommandIO, error: unknown, verbose: boolean): number {
  const c = colors(useColor(io.stderr, io.env));
  if (error instanceof UsageError) {
    println(io.stderr, c.red(`error: ${error.message}`));
    for (const line of error.lines) println(io.stderr, `  ${line}`);
    if (verbose && error.stack) println(io.stderr, c.dim(error.stack));
    return ExitCode.USAGE;
  }
  const info = toStepError(error);
  println(io.stderr, c.red(`error: ${info.message}`));
  for (const line of causeLines(info.cause, verbose, info.message)) println(io.stderr, line);
  if (verbose && info.stack) println(io.stderr, c.dim(info.stack));
  return exitCodeOf(info.code);
}

/**
 * A step's error as lines: `Name: message [CODE]`, the inner errors of an AggregateError, then each
 * cause, and stacks only when `verbose`. The error was bounded when it was made (`toStepError`),
 * so what is printed is what `--json` and the run record hold.
 */
export function errorLines(info: StepErrorInfo, verbose: boolean): string[] {
  const lines = [`${info.name}: ${info.message} [${info.code}]`];
  if (verbose && info.stack) lines.push(...indent(stackOnly(info.stack)));
  for (const [i, inner] of (info.errors ?? []).entries()) {
    const label = inner.name === 'Cut' ? '' : `error ${i + 1}: `;
    lines.push(`  ${label}${inner.name === 'Cut' ? '' : `${inner.name}: `}${inner.message}`);
  }
  return [...lines, ...causeLines(info.cause, verbose, info.message)];
}

function causeLines(cause: StepErrorInfo | undefined, verbose: boolean, said = ''): string[] {
  const lines: string[] = [];
  let before = said;
  for (let current = cause, depth = 1; current !== undefined; current = current.cause, depth++) {
    // a wrapper that quotes its cause's message already said it: say it once
    const repeated = current.message !== '' && before.includes(current.message);
    before = current.message;
    if (repeated && !verbose) continue;
    lines.push(`${'  '.repeat(depth)}caused by ${current.name}: ${current.message}`);
    if (verbose && current.stack) lines.push(...indent(stackOnly(current.stack), depth + 1));
  }
  return lines;
}

function stackOnly(stack: string): string[] {
  return stack.split('\n').filter((line) => line.trimStart().startsWith('at '));
}

function indent(lines: string[], depth = 1): string[] {
  return lines.map((line) => `${'  '.repeat(depth)}${line.trim()}`);
}

/**
 * Validation issues as lines, `path: message [CODE]`, with the step id next to the path of a
 * step (`steps[2] (step "clean").type`) so the reader finds it in the file.
 */
export function issueLines(issues: readonly ValidationIssue[], stepIds: readonly (string | undefined)[]): string[] {
  return issues.map((issue) => {
    const [head, index] = issue.path;
    const id = head === 'steps' && typeof index === 'number' ? stepIds[index] : undefined;
    const step = `steps[${String(index)}]`;
    const path = id === undefined ? issue.pathText : `${step} (step "${id}")${issue.pathText.slice(step.length)}`;
    return `${path || '(document)'}: ${issue.message} [${issue.code}]`;
  });
}
