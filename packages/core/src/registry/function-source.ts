/** The decorated methods behind the bound functions the `@stepType` decorator registers. */
const functionSources = new WeakMap<object, (...args: never[]) => unknown>();

/** Records that `bound` stands for `original` (a decorated method) in fingerprints. */
export function recordFunctionSource(bound: object, original: (...args: never[]) => unknown): void {
  functionSources.set(bound, original);
}

/**
 * The function whose source text stands for `fn` in fingerprints: a decorated method's own, not
 * its bound copy's (whose source reads `[native code]`).
 */
export function sourceFunction(fn: (...args: never[]) => unknown): (...args: never[]) => unknown {
  return functionSources.get(fn) ?? fn;
}
