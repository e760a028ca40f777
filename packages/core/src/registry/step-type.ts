import type { z } from 'zod';
import type { LogMethod } from '../logger.js';
import type { MaybePromise } from '../maybe-promise.js';
import type { JsonValue } from '../model/json.js';
import type { FileIdentity } from '../model/run.js';
import type { BytesType, FileReference } from './built-in-types.js';

/** How a step consumes its input: whole (`batch`), chunk by chunk (`streaming`), or row by row. */
export type StepMode = 'batch' | 'streaming' | 'row_iterative';

/**
 * The TypeScript type behind each data type name, for inference in `stepType` and `Workflow.add`.
 * Packages that add a data type extend it by declaration merging:
 * `declare module '@stepwise/core' { interface DataTypeMap { DataFrame: { value: Table; row: Row } } }`.
 */
export interface DataTypeMap {
  JSON: { value: JsonValue; row: JsonValue };
  Text: { value: string; row: string };
  Bytes: { value: ReturnType<typeof BytesType.decode>; row: never };
  FileReference: { value: FileReference; row: never };
  Any: { value: unknown; row: unknown };
}

/** The TypeScript type of a value of the data type named `N`. */
export type ValueOf<N> = N extends keyof DataTypeMap ? DataTypeMap[N]['value'] : unknown;
/** The TypeScript type of one row of the data type named `N`. */
export type RowOf<N> = N extends keyof DataTypeMap ? DataTypeMap[N]['row'] : unknown;

/**
 * Logging methods a step receives as `ctx.log`: lines go to the runner's logger (with `runId` and
 * `stepId`) and, above debug, out as `step.log` events, also from a worker thread or a queue worker.
 */
export interface StepLogger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/** What a step function receives as its third argument. */
export interface StepContext {
  /** Aborted when the run is cancelled or the step times out. */
  readonly signal: AbortSignal;
  readonly log: StepLogger;
  /** Reports progress; emitted as a `step.progress` event. */
  progress(done: number, total?: number): void;
  /** Every named input, the primary one under `input`. */
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly runId: string;
  readonly stepId: string;
  /** 1 on the first try, 2 on the first retry, ... */
  readonly attempt: number;
}

/** The input a step function of mode `M` over data type `I` receives. */
export type StepInput<M, I> = [I] extends [undefined]
  ? undefined
  : M extends 'streaming'
    ? AsyncIterable<ValueOf<I>>
    : M extends 'row_iterative'
      ? RowOf<I>
      : ValueOf<I>;

/** What a step function of mode `M` producing data type `O` returns. */
export type StepOutput<M, O> = M extends 'streaming'
  ? AsyncIterable<ValueOf<O>> | Iterable<ValueOf<O>>
  : M extends 'row_iterative'
    ? RowOf<O> | RowOf<O>[] | null | Promise<RowOf<O> | RowOf<O>[] | null>
    : ValueOf<O> | Promise<ValueOf<O>>;

/** The function behind a step type. */
export type StepFunction<In, Params, Out> = (input: In, params: Params, ctx: StepContext) => Out;

/**
 * What validation knows of a step's output before anything runs: for a table, its column names.
 * Plain JSON. `undefined` (no shape) means unknown, and unknown never fails validation.
 */
export interface OutputShape {
  /** The column names, in order; absent when they are not known. */
  columns?: string[];
}

/** A problem an `infer` hook finds in a step's config; `path` runs from the config to the bad field. */
export interface InferIssue {
  /** E.g. `['where']` or `['columns', 'total']`; validation reports it at `steps[i].config.<path>`. */
  path: (string | number)[];
  message: string;
  /** Close matches of what was given (a misspelt column's near names), best first. */
  suggestions?: string[];
  /** What was expected, in words. */
  expected?: string;
  /** What was found, described. */
  actual?: string;
}

/** What an `infer` hook returns: the output's shape when it can tell, and the config's problems. */
export interface InferResult {
  shape?: OutputShape | undefined;
  issues?: InferIssue[] | undefined;
}

/** What every `infer` hook of one validation shares, visited in step order. */
export interface InferContext {
  /**
   * Notes earlier hooks left for later ones, under keys the step library chooses (e.g. the files
   * earlier steps write, so that a reader does not trust a stale copy on disk).
   */
  readonly notes: Map<string, unknown>;
}

/**
 * Infers a step's output shape from its parsed params and its inputs' shapes (by input name, the
 * primary one under `input`; `undefined` when unknown), and reports config problems that need the
 * inputs, such as a column that does not exist. Called by validation, never by a run.
 */
export type InferFunction<Params> = (
  params: Params,
  inputs: Readonly<Record<string, OutputShape | undefined>>,
  context: InferContext,
) => InferResult | undefined;

/**
 * Tells the files a step reads, for its step key: each one's identity as `identifyFile` (or
 * `identifyDataFiles` in @stepwise/dataframe) gives it, with a content hash where the step asks for
 * one. Called just before the step runs (and by `runner.plan`); a throw leaves the files unknown,
 * so the step is neither reused nor served from the cache.
 */
export type FilesFunction<Params> = (params: Params) => MaybePromise<FileIdentity[]>;

/** What `stepType` takes besides the function. */
export interface StepTypeDefinition<
  P extends z.ZodType = z.ZodType,
  I extends string | undefined = string | undefined,
  O extends string = string,
  M extends StepMode = StepMode,
> {
  /** Unique id, `/^[a-z][a-z0-9_]*$/`. */
  slug: string;
  /** Human readable name; defaults to the slug in words. */
  name?: string;
  description?: string;
  /** The parameters' schema; defaults to an empty strict object. */
  params?: P;
  /** Data type of the primary input (`input`); omit for a source step. */
  inputType?: I;
  /** Extra named inputs and their data types, e.g. `{ right: 'DataFrame' }`. */
  inputs?: Record<string, string>;
  outputType: O;
  /** Defaults to `batch`. */
  mode?: M;
  /** Free JSON: category, tags, requires_gpu, ... */
  metadata?: Record<string, JsonValue>;
  /**
   * Optional validation hook: the output's shape (e.g. column names) and config problems that need
   * the inputs' shapes. Must not throw (a throw is ignored: the shape becomes unknown); must be fast
   * and synchronous; see {@link InferFunction}.
   */
  infer?: InferFunction<z.output<P>>;
  /**
   * False for a step whose output may differ for the same config and inputs (the time, randomness,
   * the network): it is never served from the cache (`strategy.cache`), and steps reading it are
   * keyed by its output's ref, so they run again whenever it does. Default true.
   */
  cacheable?: boolean;
  /**
   * The files the step reads, for its step key (every file-reading step implements it): a changed
   * file makes the step run again on resume and misses the cache. See {@link FilesFunction}.
   */
  files?: FilesFunction<z.output<P>>;
  /**
   * True for a step function that takes its inputs as they are, lazy ones too (a DataFrame that is
   * still a query, which the step extends instead of running): a built-in table step that is pushed
   * down. Otherwise (the default) the runner materializes lazy inputs first, through their data
   * type's `materialize`; it also does for a step with `strategy.cache` or `strategy.workers`.
   */
  lazyInput?: boolean;
  /**
   * For a streaming step whose function reads its whole stream to give its output (a fold such as a
   * streaming aggregate, or a sink that writes one file): it always runs in the runner's thread, over
   * the whole stream, whatever the executor and `strategy.workers`. Otherwise (the default) a
   * streaming step on another executor runs once per input chunk, which suits a chunk-by-chunk map.
   */
  wholeStream?: boolean;
  /** Where to register; defaults to the module-level `registry`. */
  registry?: StepTypeRegistrar;
}

/** Anything that can register a step type (a `StepRegistry`). */
export interface StepTypeRegistrar {
  register<T extends StepType>(stepType: T): T;
}

/** A registered step type: the definition, normalised, plus its function. */
export interface StepType<
  P extends z.ZodType = z.ZodType,
  I extends string | undefined = string | undefined,
  O extends string = string,
  M extends StepMode = StepMode,
> {
  readonly slug: string;
  readonly name: string;
  readonly description: string;
  readonly params: P;
  readonly inputType: I;
  readonly inputs: Readonly<Record<string, string>>;
  readonly outputType: O;
  readonly mode: M;
  readonly metadata: Readonly<Record<string, JsonValue>>;
  /** The validation hook, when the step type has one (see {@link InferFunction}). */
  infer?(
    params: z.output<P>,
    inputs: Readonly<Record<string, OutputShape | undefined>>,
    context: InferContext,
  ): InferResult | undefined;
  /** False for a step whose output may differ for the same config and inputs (see the definition's `cacheable`). */
  readonly cacheable: boolean;
  /** The files the step reads, for its step key, when it reads any (see {@link FilesFunction}). */
  files?(params: z.output<P>): MaybePromise<FileIdentity[]>;
  /** True when the function takes lazy inputs as they are (see the definition's `lazyInput`). */
  readonly lazyInput?: boolean;
  /** True when a streaming function reads its whole stream (see the definition's `wholeStream`). */
  readonly wholeStream?: boolean;
  readonly fn: StepFunction<StepInput<M, I>, z.output<P>, StepOutput<M, O>>;
}

/** The config a step of this type takes in a workflow (defaults may be left out). */
export type ConfigOf<T> = T extends StepType<infer P> ? z.input<P> : never;

/** The slug rule: lower case, digits and underscores, starting with a letter. */
export const SLUG_PATTERN = /^[a-z][a-z0-9_]*$/;
