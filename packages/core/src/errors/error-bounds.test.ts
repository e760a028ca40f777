// Errors are untrusted: whatever a step throws is stored, sent and printed bounded.
import { describe, expect, it } from 'vitest';
import { boundedJson, cutText, ERROR_LIMITS, ErrorBudget } from './error-bounds.js';
import { fromStepError, type StepErrorInfo, StepwiseError, toStepError } from './stepwise-error.js';

const MB = 1024 * 1024;
const size = (info: StepErrorInfo) => JSON.stringify(info).length;

function causeChain(depth: number): Error {
  let error = new Error('root');
  for (let i = 1; i < depth; i++) error = new Error(`level ${i}`, { cause: error });
  return error;
}

describe('cutText', () => {
  it('keeps a short text, cuts a long one to the cap with a marker saying how much was cut', () => {
    expect(cutText('short', 10)).toBe('short');
    const cut = cutText('x'.repeat(50 * MB), 1000);
    expect(cut.length).toBeLessThanOrEqual(1000);
    expect(cut).toMatch(/^x+… \[cut 52,\d{3},\d{3} characters\]$/);
    const kept = cut.indexOf('…');
    expect(cut).toContain(`[cut ${(50 * MB - kept).toLocaleString('en-US')} characters]`);
  });

  it('cutting a cut text again changes nothing, and never splits a surrogate pair', () => {
    const once = cutText('y'.repeat(10_000), 500);
    expect(cutText(once, 500)).toBe(once);
    const emoji = cutText('😀'.repeat(1000), 101);
    expect(emoji).not.toMatch(/[\ud800-\udbff]…/);
  });
});

describe('toStepError bounds what it keeps', () => {
  it('a 50 MB message: cut to 16 KiB with a marker, the stack too, the whole under 64 KiB', () => {
    const info = toStepError(new Error('m'.repeat(50 * MB)));
    expect(info.message.length).toBeLessThanOrEqual(ERROR_LIMITS.text);
    expect(info.message).toMatch(/… \[cut 52,\d{3},\d{3} characters\]$/);
    expect(info.stack?.length).toBeLessThanOrEqual(ERROR_LIMITS.text);
    expect(size(info)).toBeLessThan(ERROR_LIMITS.total + 1024);
  });

  it('20 MB of details: a plain JSON copy cut to 16 KiB, with markers for what was left out', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ row: i, text: 'd'.repeat(100) }));
    const info = toStepError(
      new StepwiseError('ROW_REJECTED', 'bad rows', { details: { rows, note: 'n'.repeat(20 * MB) } }),
    );
    expect(info.code).toBe('ROW_REJECTED');
    expect(JSON.stringify(info.details).length).toBeLessThanOrEqual(ERROR_LIMITS.text + 1024);
    const details = info.details as { rows: unknown[]; note?: string; '…'?: string };
    expect(details.rows.at(-1)).toMatch(/^… \[cut 199,\d{3} items\]$/);
    expect(details['…']).toBe('[cut 1 keys]');
    expect(size(info)).toBeLessThan(ERROR_LIMITS.total + 1024);
  });

  it('a cause chain 1000 deep: 5 causes kept, then a marker counting the rest', () => {
    const info = toStepError(causeChain(1000));
    let current: StepErrorInfo | undefined = info;
    const messages: string[] = [];
    while (current !== undefined) {
      messages.push(current.message);
      current = current.cause;
    }
    expect(messages).toEqual([
      'level 999',
      'level 998',
      'level 997',
      'level 996',
      'level 995',
      'level 994',
      '… [cut 994 more causes]',
    ]);
    expect(size(info)).toBeLessThan(ERROR_LIMITS.total + 1024);
  });

  it('a cyclic cause chain ends, counted', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    const info = toStepError(a);
    expect(JSON.stringify(info)).toContain('… [cut 2 more causes]');
  });

  it('large messages down a cause chain share one budget of 64 KiB', () => {
    let error = new Error('z'.repeat(MB));
    for (let i = 0; i < 10; i++) error = new Error('w'.repeat(MB), { cause: error });
    expect(size(toStepError(error))).toBeLessThan(ERROR_LIMITS.total + 2048);
  });

  it('an AggregateError keeps its inner errors, 10 of them, and counts the rest', () => {
    const inner = Array.from({ length: 25 }, (_, i) => new RangeError(`inner ${i}`));
    const info = toStepError(new AggregateError(inner, 'several failed'));
    expect(info.errors?.slice(0, 2)).toMatchObject([
      { name: 'RangeError', message: 'inner 0' },
      { name: 'RangeError', message: 'inner 1' },
    ]);
    expect(info.errors).toHaveLength(11);
    expect(info.errors?.[10]?.message).toBe('… [cut 15 more errors]');
    // across a thread: rebuilt and normalised again, the same
    expect(toStepError(fromStepError(info))).toEqual(info);
  });

  it('bounded twice is bounded once: a thread or the queue re-normalising changes nothing', () => {
    const error = new StepwiseError('BIG', 'b'.repeat(MB), {
      details: { blob: 'c'.repeat(MB) },
      cause: causeChain(50),
    });
    const once = toStepError(error);
    expect(toStepError(fromStepError(once))).toEqual(once);
  });

  it('a huge name or code does not get through', () => {
    const error = Object.assign(new Error('x'), { name: 'N'.repeat(MB), code: `A${'B'.repeat(MB)}` });
    const info = toStepError(error);
    expect(info.name.length).toBeLessThanOrEqual(ERROR_LIMITS.name);
    expect(info.code).toBe('UNKNOWN_ERROR');
  });
});

describe('boundedJson', () => {
  it('copies plain JSON as it is, and makes anything else JSON without throwing', () => {
    const budget = new ErrorBudget();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const getter = Object.defineProperty({ ok: true }, 'bad', {
      enumerable: true,
      get() {
        throw new Error('no');
      },
    });
    expect(boundedJson({ n: 1, s: 'x', l: [true, null], nested: { deep: 'yes' } }, budget)).toEqual({
      n: 1,
      s: 'x',
      l: [true, null],
      nested: { deep: 'yes' },
    });
    expect(boundedJson({ cyclic, getter, big: 10n, inf: Infinity, f() {}, at: new Date(0) }, budget)).toEqual({
      cyclic: { a: 1, self: '[cycle]' },
      getter: { ok: true },
      big: '10n',
      inf: null,
      at: '1970-01-01T00:00:00.000Z',
    });
  });
});
