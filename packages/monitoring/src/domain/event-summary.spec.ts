import { requestEvent } from '../__fixtures__/request-events.js';
import { quantileOfSorted, summarizeEvents } from './event-summary.js';

describe('quantileOfSorted', () => {
  // numpy.quantile([1, 2, 3, 4, 10], [0.5, 0.95, 0, 1]) == [3, 8.8, 1, 10] (method 'linear').
  it.each([
    [0.5, 3],
    [0.95, 8.8],
    [0, 1],
    [1, 10],
  ])('q=%p of [1, 2, 3, 4, 10] is %p, as numpy computes it', (q, expected) => {
    expect(quantileOfSorted([1, 2, 3, 4, 10], q)).toBeCloseTo(expected, 10);
  });

  it('is NaN for no values and the value itself for one', () => {
    expect(quantileOfSorted([], 0.5)).toBeNaN();
    expect(quantileOfSorted([7], 0.95)).toBe(7);
  });
});

describe('summarizeEvents', () => {
  it('sums each model version: requests, error rate, latency percentiles, tokens, cost, refusals, blocks', () => {
    const summaries = summarizeEvents([
      requestEvent({ latencyMs: 100 }),
      requestEvent({ latencyMs: 300, status: 502, errorCode: 'upstream_error', costUsd: undefined }),
      requestEvent({
        latencyMs: 200,
        refused: true,
        guardrails: [
          { side: 'input', category: 'violence', rule: 'weapons', action: 'block' },
          { side: 'input', category: 'violence', rule: 'harm', action: 'block' },
          { side: 'input', category: 'email', action: 'redact' },
        ],
      }),
      requestEvent({ stream: true, status: 200, errorCode: 'upstream_error', latencyMs: 50 }),
      requestEvent({ modelVersion: 2, latencyMs: 40, costUsd: undefined }),
      requestEvent({ modelName: 'chat-bot', modelVersion: null, status: 404, errorCode: 'not_found', latencyMs: 1 }),
    ]);
    expect(summaries.map((summary) => [summary.modelName, summary.modelVersion, summary.requests])).toEqual([
      ['chat-bot', null, 1],
      ['support-rag', 2, 1],
      ['support-rag', 3, 4],
    ]);
    const version3 = summaries[2];
    expect(version3).toMatchObject({
      errors: 2,
      errorRate: 0.5,
      inputTokens: 1600,
      outputTokens: 240,
      refusals: 1,
      refusalRate: 0.25,
      guardrailBlocks: { violence: 1 },
    });
    // Latencies 50, 100, 200, 300: p50 150, p95 285 (numpy linear).
    expect(version3?.latencyMs.p50).toBeCloseTo(150, 10);
    expect(version3?.latencyMs.p95).toBeCloseTo(285, 10);
    expect(version3?.costUsd).toBeCloseTo(0.0036, 10);
    expect(summaries[1]?.costUsd).toBeNull();
  });
});
