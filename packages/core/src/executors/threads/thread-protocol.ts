import type { MessagePort } from 'node:worker_threads';
import type { ValueStoreLocator } from '../../context/value-store.js';
import type { StepErrorInfo } from '../../errors/stepwise-error.js';
import type { LogLevel } from '../../logger.js';
import type { DataType } from '../../registry/data-type.js';
import type { StepMode } from '../../registry/step-type.js';
import { joinRows, toFloat64 } from '../../units/row-mapping.js';

/*
 * The worker-thread protocol of the threads executor, in the manner of Temporal's worker threads:
 * one request per task, a typed union of messages back on the task's own port (logs and progress
 * while it runs), and one answer (the result or the error as plain JSON) per request id.
 */

/**
 * A value on its way across a thread boundary: a list of plain numbers as one transferable
 * Float64Array, a list of values of a data type as that type's `encode` bytes (Arrow IPC for a
 * DataFrame), anything else by structured clone; or, for an input, just its ref, read by the
 * worker from a store it reaches.
 */
export type Packed =
  | { kind: 'f64'; buffer: ArrayBuffer }
  | { kind: 'encoded'; type: string; list: boolean; parts: Uint8Array[] }
  | { kind: 'clone'; value: unknown }
  | { kind: 'ref'; ref: string };

/** One task for a worker thread: run one unit of one step over `inputs`. */
export interface ThreadRequest {
  type: 'run';
  /** The request id: every message about this task carries it. */
  task: number;
  /** Step modules to import before looking the step type up (absolute paths, file URLs or package names). */
  modules: string[];
  /** Where relative module specifiers resolve from. */
  root: string;
  slug: string;
  /** A hash of the step function's source, telling apart two step types of one slug in different registries. */
  source: string;
  mode: StepMode;
  params: unknown;
  /** Every named input, the primary one under `input` (batch: the value; row_iterative: rows; streaming: chunks). */
  inputs: Record<string, Packed>;
  /** Where `ref` inputs are read, when there are any. */
  store?: ValueStoreLocator;
  runId: string;
  stepId: string;
  attempt: number;
  /** The back channel: {@link ThreadReport} messages while the task runs. */
  port: MessagePort;
}

/** A message a worker sends on a task's port while the task runs. */
export type ThreadReport =
  | { type: 'log'; task: number; level: LogLevel; message: string; fields?: Record<string, unknown> }
  | { type: 'progress'; task: number; done: number; total?: number };

/** A worker's answer to a {@link ThreadRequest}: the output (packed like the input) or the step's error as plain JSON. */
export type ThreadAnswer =
  | { type: 'result'; task: number; output: Packed }
  | { type: 'error'; task: number; error: StepErrorInfo };

/** Every message from a worker about a task. */
export type ThreadMessage = ThreadReport | ThreadAnswer;

/** Data types that move faster by structured clone than through their `encode`. */
const CLONED_TYPES: ReadonlySet<string> = new Set(['JSON', 'Any', 'Text']);

/**
 * Packs `value` for the other thread and adds what can be moved rather than copied to `transfer`.
 * `list` says `value` is an array of values of `type` (rows or chunks), not one value of it. A
 * Float64Array of rows that spans its whole buffer moves as it is (the sender's view is detached);
 * an array of numbers is copied once into a new one.
 */
export function pack(value: unknown, type: DataType | undefined, list: boolean, transfer: ArrayBuffer[]): Packed {
  const numbers = list ? numberRows(value) : undefined;
  if (numbers !== undefined) {
    transfer.push(numbers);
    return { kind: 'f64', buffer: numbers };
  }
  if (type === undefined || CLONED_TYPES.has(type.name) || value === undefined) return { kind: 'clone', value };
  const parts = list ? (value as unknown[]).map((item) => type.encode(item)) : [type.encode(value)];
  for (const part of parts) if (part.buffer instanceof ArrayBuffer) transfer.push(part.buffer);
  return { kind: 'encoded', type: type.name, list, parts };
}

/** The buffer a list of numbers travels in, or undefined when `value` is not a non-empty list of numbers. */
function numberRows(value: unknown): ArrayBuffer | undefined {
  if (value instanceof Float64Array) {
    const whole = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength;
    return whole && value.buffer instanceof ArrayBuffer ? value.buffer : value.slice().buffer;
  }
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return toFloat64(value)?.buffer;
}

/**
 * The value {@link pack} packed, decoded with the data types `lookup` knows. With `numbersAsView`
 * a list of numbers stays a Float64Array (rows to map, or mapped rows to join, need no array copy).
 * A `ref` is read with `readRef`.
 */
export function unpack(
  packed: Packed,
  lookup: (name: string) => DataType,
  options: { numbersAsView?: boolean; readRef?: (ref: string) => unknown } = {},
): unknown {
  if (packed.kind === 'clone') return packed.value;
  if (packed.kind === 'f64') {
    const numbers = new Float64Array(packed.buffer);
    return options.numbersAsView === true ? numbers : joinRows([numbers]);
  }
  if (packed.kind === 'ref') {
    if (options.readRef === undefined) throw new Error(`No store to read input ref ${packed.ref} from.`);
    return options.readRef(packed.ref);
  }
  const type = lookup(packed.type);
  const values = packed.parts.map((part) => type.decode(part));
  return packed.list ? values : values[0];
}
