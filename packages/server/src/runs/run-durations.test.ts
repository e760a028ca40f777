// The Retry-After of a start refused because the queue is full: the time left to the run executing
// longest, at the typical duration of the runs that ended last, when there is such a figure.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SECONDS, RunDurations } from './run-durations.js';

describe('RunDurations', () => {
  it('answers the default before any run has ended', () => {
    expect(new RunDurations().retryAfter(0)).toBe(DEFAULT_RETRY_SECONDS);
  });

  it('answers the seconds left to the longest running run at the median of the recent durations', () => {
    const durations = new RunDurations();
    for (const ms of [40_000, 30_000, 31_000, 600_000, 29_000]) durations.add(ms);
    // median 31 s; the run executing longest has run 10 s: 21 s left
    expect(durations.retryAfter(10_000)).toBe(21);
    // a part of a second is a whole one, and never less than one
    expect(durations.retryAfter(30_500)).toBe(1);
    expect(durations.retryAfter(30_999.5)).toBe(1);
  });

  it('answers the default once that run is past the typical duration, and at most an hour', () => {
    const durations = new RunDurations();
    durations.add(2_000);
    expect(durations.retryAfter(5_000)).toBe(DEFAULT_RETRY_SECONDS);
    const slow = new RunDurations();
    slow.add(10 * 3600_000);
    expect(slow.retryAfter(0)).toBe(3600);
  });

  it('keeps the last twenty durations only', () => {
    const durations = new RunDurations();
    for (let i = 0; i < 20; i++) durations.add(100_000);
    for (let i = 0; i < 20; i++) durations.add(10_000);
    expect(durations.retryAfter(0)).toBe(10);
  });
});
