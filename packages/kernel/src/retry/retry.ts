import { LlmopsError } from '../errors/llmops-error.js';

/** Settings of the one retry policy of llmops: exponential backoff with full jitter. */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  maxAttempts: number;
  /** Delay before the first retry, before jitter. */
  baseDelayMs: number;
  /** Upper bound of any one delay, `Retry-After` included. */
  maxDelayMs: number;
}

/** The default policy: 3 attempts, 200 ms doubling, at most 5 s between attempts. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 5_000 };

/** Dependencies of {@link withRetry}, injectable for tests. */
export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** Returns a number in [0, 1); defaults to Math.random. */
  random?: () => number;
  /** Waits; defaults to a timer that the signal can cancel. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called before each retry, for logging and metrics. */
  onRetry?: (event: { attempt: number; delayMs: number; error: LlmopsError }) => void;
}

/**
 * The delay before retry number `attempt` (1-based): a random share of base × 2^(attempt-1),
 * or the upstream's `Retry-After` when it gave one, both capped at `maxDelayMs`.
 */
export function retryDelayMs(
  attempt: number,
  error: LlmopsError,
  options: { policy: RetryPolicy; random: () => number },
): number {
  const { policy, random } = options;
  if (error.retryAfterMs !== undefined) return Math.min(policy.maxDelayMs, Math.max(0, error.retryAfterMs));
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `operation`, retrying it while it fails with a retryable LlmopsError and attempts remain.
 * Anything else thrown is normalised with `LlmopsError.fromUnknown` and rethrown at once.
 * Streams must not be retried after their first token: wrap only the call that opens them.
 */
export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = { ...defaultRetryPolicy, ...options.policy };
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (thrown) {
      const error = LlmopsError.fromUnknown(thrown);
      if (!error.retryable || attempt >= policy.maxAttempts || options.signal?.aborted) throw error;
      const delayMs = retryDelayMs(attempt, error, { policy, random });
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}

/** Parses an HTTP `Retry-After` header (seconds or an HTTP date) into milliseconds from `nowMs`. */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
