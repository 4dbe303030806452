import { LlmopsError } from '@llmops/kernel';
import { requestEvent } from '../__fixtures__/request-events.js';
import { buildEventTimeSeries, reportBucketMs } from './event-time-series.js';

const tenOClock = Date.UTC(2026, 10, 29, 10, 0, 0);
const minute = 60_000;

describe('buildEventTimeSeries', () => {
  it('adds up each minute of the window, empty minutes included, oldest first', () => {
    const series = buildEventTimeSeries(
      [
        requestEvent({ at: tenOClock + 1_000, latencyMs: 100, cache: 'hit' }),
        requestEvent({ at: tenOClock + 59_999, latencyMs: 300, cache: 'miss', costUsd: undefined }),
        requestEvent({
          at: tenOClock + 30_000,
          latencyMs: 200,
          status: 400,
          errorCode: 'guardrail_blocked',
          guardrails: [
            { side: 'input', category: 'violence', action: 'block' },
            { side: 'input', category: 'weapons', action: 'block' },
          ],
        }),
        requestEvent({ at: tenOClock + 2 * minute + 5, latencyMs: 40, inputTokens: 10, outputTokens: undefined }),
        // Outside the window: before it, and at its (exclusive) end.
        requestEvent({ at: tenOClock - 1 }),
        requestEvent({ at: tenOClock + 3 * minute }),
      ],
      { from: tenOClock + 10_000, to: tenOClock + 3 * minute },
    );
    expect(series.map((bucket) => [bucket.at - tenOClock, bucket.requests])).toEqual([
      [0, 3],
      [minute, 0],
      [2 * minute, 1],
    ]);
    const [first, empty, third] = series;
    expect(first).toMatchObject({
      inputTokens: 1200,
      outputTokens: 180,
      cacheHits: 1,
      cacheLookups: 2,
      errors: 1,
      guardrailBlocks: 1,
    });
    // Latencies 100, 200, 300: p50 200, p95 290 (numpy linear).
    expect(first?.latencyP50Ms).toBeCloseTo(200, 10);
    expect(first?.latencyP95Ms).toBeCloseTo(290, 10);
    expect(first?.costUsd).toBeCloseTo(0.0024, 10);
    expect(empty).toEqual({
      at: tenOClock + minute,
      requests: 0,
      latencyP50Ms: null,
      latencyP95Ms: null,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: null,
      cacheHits: 0,
      cacheLookups: 0,
      errors: 0,
      guardrailBlocks: 0,
    });
    expect(third).toMatchObject({ latencyP50Ms: 40, latencyP95Ms: 40, inputTokens: 10, outputTokens: 0 });
  });

  it('takes other bucket sizes', () => {
    const series = buildEventTimeSeries([requestEvent({ at: tenOClock + 25_000 })], {
      from: tenOClock,
      to: tenOClock + minute,
      bucketMs: 10_000,
    });
    expect(series.map((bucket) => bucket.requests)).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it('refuses an empty window and one with more buckets than allowed, saying what it expected', () => {
    for (const options of [
      { from: tenOClock, to: tenOClock },
      { from: tenOClock, to: tenOClock + 25 * 60 * minute },
      { from: tenOClock, to: tenOClock + 3 * minute, maxBuckets: 2 },
    ]) {
      const thrown = (() => {
        try {
          buildEventTimeSeries([], options);
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      expect(LlmopsError.isInstance(thrown) && thrown.code).toBe('invalid_input');
      expect((thrown as Error).message).toMatch(/expected 1 to \d+/);
    }
  });
});

describe('reportBucketMs', () => {
  it.each([
    ['15 minutes', 15 * minute, minute],
    ['6 hours', 360 * minute, minute],
    ['a day', 1_440 * minute, 5 * minute],
    ['a week', 7 * 1_440 * minute, 60 * minute],
    ['a year', 365 * 1_440 * minute, 1_440 * minute],
  ])('keeps a window of %s within 360 buckets with the shortest step', (_name, windowMs, bucketMs) => {
    expect(reportBucketMs(windowMs)).toBe(bucketMs);
  });
});
