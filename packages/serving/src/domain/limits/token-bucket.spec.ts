import { charge, fullBucket, msUntil, refill, take } from './token-bucket.js';
import { budgetWindows } from './budget-windows.js';

const shape = { capacity: 60, refillMs: 60_000 };

describe('token bucket', () => {
  it('starts full and refills evenly, never above capacity', () => {
    const start = fullBucket(shape, 1_000);
    const spent = take(shape, start, { nowMs: 1_000, amount: 60 }).state;
    expect(spent.tokens).toBe(0);
    expect(refill(shape, spent, 31_000).tokens).toBe(30);
    expect(refill(shape, spent, 500_000).tokens).toBe(60);
  });

  it('refuses a take it cannot cover, takes nothing, and says how long to wait', () => {
    const empty = { tokens: 0.5, updatedAtMs: 0 };
    const refused = take(shape, empty, { nowMs: 0, amount: 1 });
    expect(refused.retryAfterMs).toBe(500);
    expect(refused.state.tokens).toBe(0.5);
    expect(take(shape, empty, { nowMs: 500, amount: 1 }).retryAfterMs).toBe(0);
  });

  it('goes into debt when charged more than it holds; the wait covers the debt', () => {
    const indebted = charge(shape, fullBucket(shape, 0), { nowMs: 0, amount: 90 });
    expect(indebted.tokens).toBe(-30);
    expect(msUntil(shape, indebted, 1)).toBe(31_000);
  });

  it('refills nothing when the clock goes back', () => {
    const state = { tokens: 10, updatedAtMs: 10_000 };
    expect(refill(shape, state, 5_000)).toEqual({ tokens: 10, updatedAtMs: 10_000 });
  });
});

describe('budget windows', () => {
  it('names the UTC day and month and when they end', () => {
    const windows = budgetWindows(Date.UTC(2025, 11, 31, 23, 59, 30));
    expect(windows).toEqual({
      day: 'day:2025-12-31',
      month: 'month:2025-12',
      dayEndsAtMs: Date.UTC(2026, 0, 1),
      monthEndsAtMs: Date.UTC(2026, 0, 1),
    });
  });
});
