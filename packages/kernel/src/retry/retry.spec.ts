import { LlmopsError } from '../errors/llmops-error.js';
import { parseRetryAfter, retryDelayMs, withRetry } from './retry.js';

describe('withRetry', () => {
  it('retries retryable errors with growing jittered delays, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw new LlmopsError('upstream_error', 'boom');
        return 'ok';
      },
      { policy: { maxAttempts: 5, baseDelayMs: 100 }, random: () => 0.5, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([50, 100]);
  });

  it('does not retry errors that are not retryable', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls += 1;
        throw new LlmopsError('invalid_input', 'bad');
      }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    expect(calls).toBe(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new LlmopsError('rate_limited', `attempt ${calls}`);
        },
        { policy: { maxAttempts: 2 }, sleep: async () => undefined },
      ),
    ).rejects.toThrow('attempt 2');
    expect(calls).toBe(2);
  });

  it('honours Retry-After, capped by maxDelayMs', () => {
    const policy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2_000 };
    expect(
      retryDelayMs(1, new LlmopsError('rate_limited', 'x', { retryAfterMs: 1_200 }), { policy, random: () => 0.9 }),
    ).toBe(1_200);
    expect(
      retryDelayMs(1, new LlmopsError('rate_limited', 'x', { retryAfterMs: 60_000 }), { policy, random: () => 0.9 }),
    ).toBe(2_000);
    expect(retryDelayMs(3, new LlmopsError('rate_limited', 'x'), { policy, random: () => 0.999 })).toBe(399);
  });

  it('normalises non-LlmopsError throws without retrying them', async () => {
    await expect(withRetry(async () => Promise.reject(new TypeError('oops')))).rejects.toMatchObject({
      code: 'internal',
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:05 GMT', 1_000)).toBe(4_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
