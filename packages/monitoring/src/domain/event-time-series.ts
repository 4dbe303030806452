import { LlmopsError } from '@llmops/kernel';
import { quantileOfSorted } from './event-summary.js';
import { isFailedEvent } from './request-event.js';
import type { RequestEvent } from './request-event.js';

/** What the events of one time bucket add up to, over every model version. */
export interface TimeBucket {
  /** Start of the bucket, milliseconds since the epoch. */
  at: number;
  requests: number;
  /** Total latency percentiles in ms (numpy's linear interpolation); `null` in a bucket without requests. */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  inputTokens: number;
  outputTokens: number;
  /** Summed cost in USD; `null` when no event of the bucket had a price. */
  costUsd: number | null;
  /** Requests answered from the response cache, and requests that looked it up (hits and misses). */
  cacheHits: number;
  cacheLookups: number;
  /** Failed requests (HTTP error status, or a stream broken after it started). */
  errors: number;
  /** Requests a guardrail blocked (on either side, whatever the category). */
  guardrailBlocks: number;
}

/** The window and bucket size of {@link buildEventTimeSeries}. */
export interface TimeSeriesOptions {
  /** Start of the window, ms since the epoch; rounded down to a bucket boundary. */
  from: number;
  /** End of the window, ms since the epoch (exclusive). */
  to: number;
  /** Bucket length in ms; one minute by default. */
  bucketMs?: number;
  /** Most buckets a window may have; 1,440 (a day of minutes) by default. */
  maxBuckets?: number;
}

const minuteMs = 60_000;

/** Bucket lengths a report picks from, shortest first: 1, 5 and 15 minutes, an hour, 6 hours, a day. */
const reportBucketMinutes = [1, 5, 15, 60, 360, 1_440];

/**
 * The bucket length of a report over a window: the shortest of 1, 5, 15 minutes, 1 hour, 6 hours or a day that
 * keeps the window within `maxBuckets` (360 by default: a minute per bucket up to 6 hours).
 */
export function reportBucketMs(windowMs: number, maxBuckets = 360): number {
  for (const minutes of reportBucketMinutes) {
    if (windowMs / (minutes * minuteMs) <= maxBuckets) return minutes * minuteMs;
  }
  return (reportBucketMinutes[reportBucketMinutes.length - 1] as number) * minuteMs;
}

function emptyBucket(at: number): TimeBucket {
  return {
    at,
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
  };
}

/**
 * Buckets events by time (one minute by default) over a window, every bucket present (empty ones with
 * zero requests), oldest first: requests, latency p50/p95, tokens in and out, cost, cache hits and
 * lookups, errors and guardrail blocks. Events outside the window are ignored.
 * @throws LlmopsError `invalid_input` when the window is empty or has more buckets than `maxBuckets`.
 */
export function buildEventTimeSeries(events: Iterable<RequestEvent>, options: TimeSeriesOptions): TimeBucket[] {
  const bucketMs = options.bucketMs ?? minuteMs;
  const maxBuckets = options.maxBuckets ?? 1_440;
  const start = Math.floor(options.from / bucketMs) * bucketMs;
  const count = Math.ceil((options.to - start) / bucketMs);
  if (!(bucketMs > 0) || !(count > 0) || count > maxBuckets) {
    throw new LlmopsError(
      'invalid_input',
      `a time series from ${new Date(options.from).toISOString()} to ${new Date(options.to).toISOString()} ` +
        `in buckets of ${bucketMs} ms has ${count} buckets; expected 1 to ${maxBuckets}`,
    );
  }
  const buckets = Array.from({ length: count }, (_, index) => emptyBucket(start + index * bucketMs));
  const latencies: number[][] = buckets.map(() => []);
  for (const event of events) {
    if (event.at < start || event.at >= options.to) continue;
    const index = Math.floor((event.at - start) / bucketMs);
    const bucket = buckets[index] as TimeBucket;
    bucket.requests += 1;
    (latencies[index] as number[]).push(event.latencyMs);
    bucket.inputTokens += event.inputTokens ?? 0;
    bucket.outputTokens += event.outputTokens ?? 0;
    if (event.costUsd !== undefined) bucket.costUsd = (bucket.costUsd ?? 0) + event.costUsd;
    if (event.cache === 'hit') bucket.cacheHits += 1;
    if (event.cache === 'hit' || event.cache === 'miss') bucket.cacheLookups += 1;
    if (isFailedEvent(event)) bucket.errors += 1;
    if (event.guardrails.some((verdict) => verdict.action === 'block')) bucket.guardrailBlocks += 1;
  }
  buckets.forEach((bucket, index) => {
    const sorted = (latencies[index] as number[]).sort((a, b) => a - b);
    if (sorted.length === 0) return;
    bucket.latencyP50Ms = quantileOfSorted(sorted, 0.5);
    bucket.latencyP95Ms = quantileOfSorted(sorted, 0.95);
  });
  return buckets;
}
