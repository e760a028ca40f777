import type { RunEvent, RunRecord, StepErrorInfo } from '@stepwise/core';

/**
 * An error as a client sees it: code, name, message (absolute paths taken out), details, causes and
 * inner errors the same way; never a stack.
 */
export function publicError(error: StepErrorInfo, scrub: (text: string) => string, depth = 0): StepErrorInfo {
  const { stack: _stack, cause, errors, ...rest } = error;
  const out: StepErrorInfo = { ...rest, message: scrub(error.message) };
  if (depth < 5 && cause !== undefined) out.cause = publicError(cause, scrub, depth + 1);
  if (depth < 5 && errors !== undefined) out.errors = errors.map((inner) => publicError(inner, scrub, depth + 1));
  return out;
}

/** A run record with every error made public. */
export function publicRecord(record: RunRecord, scrub: (text: string) => string): RunRecord {
  const steps = record.steps.map((step) =>
    step.error === undefined ? step : { ...step, error: publicError(step.error, scrub) },
  );
  const out: RunRecord = { ...record, steps };
  if (record.error !== undefined) out.error = publicError(record.error, scrub);
  return out;
}

/** A run event with its error (if it has one) made public. */
export function publicEvent(event: RunEvent, scrub: (text: string) => string): RunEvent {
  if (!('error' in event) || event.error === undefined) return event;
  return { ...event, error: publicError(event.error, scrub) } as RunEvent;
}
