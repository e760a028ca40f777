import { deserialize, serialize } from 'node:v8';
import {
  type DataType,
  type FileValueStore,
  newRef,
  type Packed,
  type StepErrorInfo,
  type StepMode,
  unpack,
} from '@stepwise/core';

/*
 * What crosses Redis between the runner's queue executor and the workers: a job names its step and
 * the refs of its inputs (never their data), a worker answers with the ref of its output or the
 * step's error as plain JSON, committed under the job's current lease.
 */

/** An input of a job: a ref in the shared store, read as its own data type, or staged bytes (see {@link stage}). */
export type JobInput = { kind: 'ref'; ref: string } | { kind: 'staged'; ref: string };

/** The data of one BullMQ job: one unit of one attempt of one step. */
export interface QueueJobData {
  v: 1;
  runId: string;
  stepId: string;
  attempt: number;
  slug: string;
  /** The step function's source hash: the worker picks the same definition the runner planned. */
  source: string;
  mode: StepMode;
  params: unknown;
  inputs: Record<string, JobInput>;
}

/** A committed result: the output's staged ref, or the step's error; with the lease that committed it. */
export type JobOutcome =
  | { ok: true; ref: string; lease: string; worker: string }
  | { ok: false; error: StepErrorInfo; lease: string; worker: string };

/** A message on the reports channel, from the worker running a job to the runner waiting for it. */
export type JobReport =
  | {
      type: 'log';
      job: string;
      level: 'debug' | 'info' | 'warn' | 'error';
      message: string;
      fields?: Record<string, unknown>;
    }
  | { type: 'progress'; job: string; done: number; total?: number }
  | { type: 'done'; job: string };

/** A message on the control channel, from a runner to every worker. */
export type ControlMessage = { type: 'cancel'; job: string; reason: StepErrorInfo };

/**
 * Writes a packed value (the threads protocol's form: numbers as one buffer, data types by their
 * `encode`, the rest by structured clone) to the shared store as bytes, and answers its ref.
 */
export function stage(values: FileValueStore, packed: Packed, producer: { runId: string; stepId: string }): string {
  const ref = newRef();
  values.write(ref, new Uint8Array(serialize(packed)), { type: 'Bytes', createdAt: Date.now(), producer });
  return ref;
}

/** Reads a value {@link stage} wrote, decoding it with the data types `lookup` knows. */
export function readStaged(
  values: FileValueStore,
  ref: string,
  lookup: (name: string) => DataType,
  options: { numbersAsView?: boolean } = {},
): unknown {
  const bytes = values.read(ref) as Uint8Array;
  return unpack(deserialize(bytes) as Packed, lookup, options);
}

/**
 * Sets the job's lease to `lease` unless an outcome is committed already; answers the committed
 * outcome (JSON) in that case, else nothing. A newer attempt's lease replaces an older one.
 */
export const ACQUIRE_LEASE = `
local committed = redis.call('GET', KEYS[2])
if committed then return committed end
redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2]))
return false`;

/**
 * Commits an outcome only under the job's current lease, and only once: answers 1 when committed,
 * 0 when the lease is no longer current (a stalled worker's late result) or an outcome is there.
 */
export const COMMIT_OUTCOME = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', tonumber(ARGV[3]))
return 1`;
