/** What the parameter widgets know beyond the form: the step's input columns, the data root's files, and a checker. */
export interface StepFormContext {
  /** The columns of the step's primary input, as validation inferred them; undefined when unknown. */
  columns?: readonly string[] | undefined;
  /** Files under the data root, to suggest for a path. */
  files?: readonly string[] | undefined;
  /** The problem with an expression, or undefined when it is sound (the server checks it). */
  checkExpression?: ((expression: string) => Promise<string | undefined>) | undefined;
}

/**
 * Why a path is not a path under the data root, or undefined. The server resolves every path under
 * the data root and refuses others anyway; this says so while typing.
 */
export function pathProblem(path: string): string | undefined {
  if (path.length === 0) return undefined;
  if (path.includes('\0')) return 'A path cannot contain a NUL character.';
  if (/^([/\\]|[A-Za-z]:)/.test(path)) return 'Give a path relative to the data root, not an absolute one.';
  if (path.split(/[/\\]/).includes('..')) return 'A path cannot leave the data root ("..").';
  return undefined;
}
