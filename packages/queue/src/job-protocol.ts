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
 * step's error as plain JSON, committed for the job's current attempt only (see {@link COMMIT_OUTCOME}).
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

/**
 * Where a job's output is: staged in the shared store under `ref`, or, when small, its packed bytes
 * in base64 (`inline`) in the outcome itself, which spares a durable file write and read per job.
 */
export type JobOutput = { ref: string } | { inline: string };

/** Outputs up to this many packed bytes travel in the outcome (Redis) instead of the shared store. */
export const INLINE_OUTPUT_BYTES = 64 * 1024;

/** A committed result: the output (see {@link JobOutput}), or the step's error; with the attempt (`lease`) and worker that committed it. */
export type JobOutcome =
  | ({ ok: true; lease: string; worker: string } & JobOutput)
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
  /** The job's outcome is committed; it comes along when small ({@link NOTICE_OUTCOME_BYTES}), else the runner reads it. */
  | { type: 'done'; job: string; outcome?: JobOutcome };

/**
 * A committed outcome up to this many bytes (JSON) travels in its "done" notice, sparing the runner a
 * read of it; the reports channel reaches every runner of the queue, so larger ones stay in their key.
 */
export const NOTICE_OUTCOME_BYTES = 16 * 1024;

/** A message on the control channel, from a runner to every worker. */
export type ControlMessage = { type: 'cancel'; job: string; reason: StepErrorInfo };

/**
 * Writes a packed value (the threads protocol's form: numbers as one buffer, data types by their
 * `encode`, the rest by structured clone) to the shared store as bytes, and answers its ref.
 */
export function stage(values: FileValueStore, packed: Packed, producer: { runId: string; stepId: string }): string {
  return stageBytes(values, new Uint8Array(serialize(packed)), producer);
}

function stageBytes(values: FileValueStore, bytes: Uint8Array, producer: { runId: string; stepId: string }): string {
  const ref = newRef();
  // read once by the other side, then removed: no run record names it, so it is never flushed to disk
  values.write(ref, bytes, { type: 'Bytes', createdAt: Date.now(), producer }, { temporary: true });
  return ref;
}

/** A job's output for its outcome: inline when small, else staged in the shared store. */
export function outputOf(
  values: FileValueStore,
  packed: Packed,
  producer: { runId: string; stepId: string },
): JobOutput {
  const bytes = serialize(packed);
  if (bytes.byteLength <= INLINE_OUTPUT_BYTES) return { inline: bytes.toString('base64') };
  return { ref: stageBytes(values, new Uint8Array(bytes), producer) };
}

/** The value of a job's output ({@link outputOf}), decoded with the data types `lookup` knows. */
export function readOutput(
  values: FileValueStore,
  output: JobOutput,
  lookup: (name: string) => DataType,
  options: { numbersAsView?: boolean } = {},
): unknown {
  if ('ref' in output) return readStaged(values, output.ref, lookup, options);
  return unpack(deserialize(Buffer.from(output.inline, 'base64')) as Packed, lookup, options);
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
 * Commits an outcome only for the job's current attempt, only once, and never for a cancelled job;
 * then publishes the "done" notice on the reports channel (`ARGV[4]`; with the outcome when `ARGV[6]`
 * is '1'), so the notice never precedes the commit and costs no round trip of its own. The attempt is
 * the lease: BullMQ raises the job's started-attempts count (`ats` in its job hash) in the same script
 * that locks the job for a worker, so a newer attempt (another worker's, after a stall) replaces an
 * older one without a round trip of ours. Answers 1 when committed; 0 when the attempt is not the
 * current one (a stalled worker's late result), the job is gone (Redis lost it) or finished (BullMQ
 * failed it), or an outcome is there; 2 when the job is cancelled.
 * KEYS: BullMQ's job hash, outcome, cancel mark. ARGV: attempt, outcome JSON, TTL seconds, channel,
 * job id as JSON, with outcome.
 */
export const COMMIT_OUTCOME = `
local job = redis.call('HMGET', KEYS[1], 'ats', 'finishedOn')
if job[1] ~= ARGV[1] or job[2] then return 0 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if redis.call('EXISTS', KEYS[3]) == 1 then return 2 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', tonumber(ARGV[3]))
if ARGV[6] == '1' then
  redis.call('PUBLISH', ARGV[4], '{"type":"done","job":' .. ARGV[5] .. ',"outcome":' .. ARGV[2] .. '}')
else
  redis.call('PUBLISH', ARGV[4], '{"type":"done","job":' .. ARGV[5] .. '}')
end
return 1`;
