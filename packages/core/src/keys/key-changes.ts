import { isPlainObject, type JsonValue } from '../model/json.js';
import type { FileIdentity, StepRun } from '../model/run.js';
import { type KeyParts, type KeyStep, resultStrategy } from './step-keys.js';

/** Why a step runs instead of reusing an earlier output, by kind. */
export type PlanReasonCode =
  /** The step was not in the earlier run. */
  | 'STEP_NEW'
  /** The step did not complete in the earlier run (it failed, was skipped or cancelled). */
  | 'STEP_NOT_COMPLETED'
  /** Its earlier output is no longer in the store (pruned or deleted). */
  | 'OUTPUT_MISSING'
  /** The step now has another step type. */
  | 'TYPE_CHANGED'
  /** The step type's definition changed: its function's source, params schema or fields. */
  | 'CODE_CHANGED'
  | 'CONFIG_CHANGED'
  /** A strategy field the step's function can observe (chunkRows, workers of a streaming step). */
  | 'STRATEGY_CHANGED'
  /** An input comes from a step that runs again, another step, or another workflow input ref. */
  | 'INPUT_CHANGED'
  | 'FILE_CHANGED'
  /** The key cannot be known before running (an input from an uncacheable step that runs). */
  | 'KEY_UNKNOWN'
  /** The step type declares itself uncacheable (time, randomness, the network). */
  | 'UNCACHEABLE'
  /** Its output is streamed to the next step, never stored, so it cannot be kept. */
  | 'STREAMED'
  /** `strategy.cache` is off and no earlier output may be reused: a new run. */
  | 'CACHE_OFF'
  /** `strategy.cache` is on and the cache has no live entry for the step's key. */
  | 'CACHE_MISS'
  /** Nothing earlier to compare with: no earlier run of the workflow. */
  | 'NO_EARLIER_RUN';

/**
 * One reason a step runs, as data with its message formatted: `path` runs from the document root
 * (`steps[2].config.threshold`), `before` and `after` are the values compared. Plain JSON.
 */
export interface PlanReason {
  code: PlanReasonCode;
  message: string;
  path?: string;
  before?: JsonValue;
  after?: JsonValue;
  /** The input name, for `INPUT_CHANGED`. */
  input?: string;
  /** The step an input comes from, for `INPUT_CHANGED`. */
  step?: string;
  /** The file as the config names it, for `FILE_CHANGED`. */
  file?: string;
}

/** One side of a comparison: a step, its key's parts, and its state in its run. */
export interface KeySide {
  step: KeyStep;
  parts: KeyParts;
  state: StepRun | undefined;
}

const MAX_CHANGES = 5;

/**
 * Why a step's key differs between an earlier run and now, most telling first: its type, its
 * code, its config (each changed field), its strategy, its inputs, its files. Empty when only an
 * unknown part differs.
 */
export function keyChanges(before: KeySide, now: KeySide): PlanReason[] {
  const at = `steps[${now.step.index}]`;
  if (before.step.slug !== now.step.slug)
    return [
      {
        code: 'TYPE_CHANGED',
        path: `${at}.type`,
        before: before.step.slug,
        after: now.step.slug,
        message: `step type changed: ${before.step.slug} → ${now.step.slug}`,
      },
    ];
  const reasons: PlanReason[] = [];
  if (before.parts.fingerprint !== now.parts.fingerprint)
    reasons.push({ code: 'CODE_CHANGED', message: `step type ${now.step.slug} changed (its code or definition)` });
  if (before.parts.params !== now.parts.params) {
    const old = before.step.params ?? before.step.config;
    const next = now.step.params ?? now.step.config;
    reasons.push(...valueChanges('CONFIG_CHANGED', 'config', { at: `${at}.config`, old, next }));
  }
  if (before.parts.strategy !== now.parts.strategy) {
    const old = resultStrategy(before.step.strategy, before.step.stepType?.mode);
    const next = resultStrategy(now.step.strategy, now.step.stepType?.mode);
    reasons.push(...valueChanges('STRATEGY_CHANGED', 'strategy', { at: `${at}.strategy`, old, next }));
  }
  reasons.push(...inputChanges(before, now));
  reasons.push(...fileChanges(before.state?.files ?? [], now.state?.files ?? []));
  return reasons;
}

function inputChanges(before: KeySide, now: KeySide): PlanReason[] {
  const reasons: PlanReason[] = [];
  for (const [name, identity] of Object.entries(now.parts.inputs)) {
    if (identity !== undefined && identity === before.parts.inputs[name]) continue;
    const reference = now.step.inputs[name];
    if (reference === undefined) continue;
    const label = name === 'input' ? 'input' : `input ${name}`;
    if ('step' in reference) {
      const old = before.step.inputs[name];
      const moved = old !== undefined && 'step' in old && old.step !== reference.step;
      const message = moved
        ? `${label} now reads ${reference.step} (was ${old.step})`
        : `${label} ${reference.step} changed`;
      reasons.push({ code: 'INPUT_CHANGED', input: name, step: reference.step, message });
    } else if ('input' in reference)
      reasons.push({ code: 'INPUT_CHANGED', input: name, message: `workflow input ${reference.input} changed` });
    else reasons.push({ code: 'INPUT_CHANGED', input: name, message: `${label} now reads ref ${reference.ref}` });
  }
  return reasons;
}

function fileChanges(before: readonly FileIdentity[], now: readonly FileIdentity[]): PlanReason[] {
  const old = new Map(before.map((file) => [file.path, file]));
  const reasons: PlanReason[] = [];
  for (const file of now) {
    const was = old.get(file.path);
    const why = fileDifference(was, file);
    if (why === undefined) continue;
    reasons.push({
      code: 'FILE_CHANGED',
      file: file.path,
      ...(was === undefined ? {} : { before: fileJson(was) }),
      after: fileJson(file),
      message: `file ${file.path} ${why}`,
    });
  }
  return reasons;
}

function fileDifference(was: FileIdentity | undefined, now: FileIdentity): string | undefined {
  if (was === undefined) return 'is read for the first time';
  if (now.missing === true) return was.missing === true ? undefined : 'is gone';
  if (was.missing === true) return 'appeared';
  if (was.size !== now.size) return `changed (${bytes(was.size)} → ${bytes(now.size)})`;
  if (was.mtimeMs !== now.mtimeMs) return `changed (modified ${new Date(now.mtimeMs ?? 0).toISOString()})`;
  if (was.sha256 !== now.sha256)
    return now.sha256 !== undefined && was.sha256 !== undefined ? 'changed (content)' : undefined;
  return undefined;
}

function fileJson(file: FileIdentity): JsonValue {
  return JSON.parse(JSON.stringify(file)) as JsonValue;
}

function bytes(n: number | undefined): string {
  return `${(n ?? 0).toLocaleString('en-US')} bytes`;
}

/** One reason per changed leaf of two JSON-like values (at most five, then a count of the rest). */
function valueChanges(
  code: 'CONFIG_CHANGED' | 'STRATEGY_CHANGED',
  what: string,
  values: { at: string; old: unknown; next: unknown },
): PlanReason[] {
  const leaves: [string, unknown, unknown][] = [];
  diffLeaves('', values.old, values.next, leaves);
  const reasons = leaves.slice(0, MAX_CHANGES).map(([path, before, after]): PlanReason => {
    const field = path === '' ? what : `${what}: ${path.replace(/^\./, '')}`;
    const reason: PlanReason = {
      code,
      path: `${values.at}${path}`,
      message: `${field} ${show(before)} → ${show(after)}`,
    };
    if (before !== undefined) reason.before = toJson(before);
    if (after !== undefined) reason.after = toJson(after);
    return reason;
  });
  if (leaves.length > MAX_CHANGES)
    reasons.push({ code, path: values.at, message: `and ${leaves.length - MAX_CHANGES} more ${what} changes` });
  if (reasons.length === 0) reasons.push({ code, path: values.at, message: `${what} changed` });
  return reasons;
}

function diffLeaves(path: string, a: unknown, b: unknown, into: [string, unknown, unknown][]): void {
  if (into.length > MAX_CHANGES) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
      diffLeaves(`${path}.${key}`, a[key], b[key], into);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    for (let i = 0; i < a.length; i++) diffLeaves(`${path}[${i}]`, a[i], b[i], into);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) into.push([path, a, b]);
}

function show(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value) ?? String(value);
  const plain = typeof value === 'number' || typeof value === 'boolean' ? String(value) : text;
  return plain.length > 40 ? `${plain.slice(0, 37)}...` : plain;
}

function toJson(value: unknown): JsonValue {
  const text = JSON.stringify(value);
  if (text === undefined) return null;
  return text.length > 1_000 ? `${text.slice(0, 997)}...` : (JSON.parse(text) as JsonValue);
}
