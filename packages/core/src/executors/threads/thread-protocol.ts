import type { StepErrorInfo } from '../../errors/stepwise-error.js';
import type { DataType } from '../../registry/data-type.js';
import type { StepMode } from '../../registry/step-type.js';
import { joinRows, toFloat64 } from '../../runner/modes/row-iterative.js';

/**
 * A value on its way across a thread boundary: a list of plain numbers as one transferable
 * Float64Array, a list of values of a data type as that type's `encode` bytes (Arrow IPC for a
 * DataFrame), or anything else by structured clone.
 */
export type Packed =
  | { kind: 'f64'; buffer: ArrayBuffer }
  | { kind: 'encoded'; type: string; list: boolean; parts: Uint8Array[] }
  | { kind: 'clone'; value: unknown };

/** One unit of work for a worker thread: run one step's function over `input`. */
export interface ThreadRequest {
  /** Step modules to import before looking the step type up (absolute paths, file URLs or package names). */
  modules: string[];
  /** Where relative module specifiers resolve from. */
  root: string;
  slug: string;
  mode: StepMode;
  params: unknown;
  /** batch: the input value; row_iterative: an array of rows; streaming: an array of chunks. */
  input: Packed;
  /** Named inputs other than the primary one, by structured clone. */
  inputs: Record<string, unknown>;
  runId: string;
  stepId: string;
  attempt: number;
}

/** A worker's answer: the output (packed like the input) or the step's error as plain JSON. */
export type ThreadAnswer = { ok: true; output: Packed } | { ok: false; error: StepErrorInfo };

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
 */
export function unpack(packed: Packed, lookup: (name: string) => DataType, numbersAsView = false): unknown {
  if (packed.kind === 'clone') return packed.value;
  if (packed.kind === 'f64') {
    const numbers = new Float64Array(packed.buffer);
    return numbersAsView ? numbers : joinRows([numbers]);
  }
  const type = lookup(packed.type);
  const values = packed.parts.map((part) => type.decode(part));
  return packed.list ? values : values[0];
}
