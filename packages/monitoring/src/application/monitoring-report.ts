import { systemClock } from '@llmops/kernel';
import type { Clock } from '@llmops/kernel';
import { summarizeEvents } from '../domain/event-summary.js';
import { buildEventTimeSeries } from '../domain/event-time-series.js';
import type { TimeBucket } from '../domain/event-time-series.js';
import type { ModelVersionSummary } from '../domain/event-summary.js';
import type { EventStore } from '../ports.js';

/** What {@link buildMonitoringReport} covers: a look-back window, optionally one model or version. */
export interface MonitoringReportOptions {
  /** The window's length in ms, ending now (see `parseSinceDuration`). */
  windowMs: number;
  modelName?: string;
  /** Only with `modelName`. */
  modelVersion?: number;
  /** Also bucket the window's traffic by time, in buckets this long (see `reportBucketMs`); no series without. */
  bucketMs?: number;
  clock?: Clock;
}

/** The served traffic of a window, summarised per model version. */
export interface MonitoringReport {
  /** ISO 8601 start and end of the window. */
  from: string;
  to: string;
  /** Requests in the window, over all versions reported. */
  requests: number;
  models: ModelVersionSummary[];
  /** With `bucketMs`: the window's traffic per bucket, every model version together, oldest first. */
  series?: { bucketMs: number; buckets: TimeBucket[] };
}

/** Reads a window's events from the store and summarises them per model version (and per time bucket, if asked). */
export async function buildMonitoringReport(
  store: Pick<EventStore, 'list'>,
  options: MonitoringReportOptions,
): Promise<MonitoringReport> {
  const to = (options.clock ?? systemClock).now();
  const from = to - options.windowMs;
  const events = await store.list({
    since: from,
    until: to + 1,
    ...(options.modelName === undefined ? {} : { modelName: options.modelName }),
    ...(options.modelName === undefined || options.modelVersion === undefined
      ? {}
      : { modelVersion: options.modelVersion }),
  });
  const models = summarizeEvents(events);
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    requests: events.length,
    models,
    ...(options.bucketMs === undefined
      ? {}
      : {
          series: {
            bucketMs: options.bucketMs,
            buckets: buildEventTimeSeries(events, {
              from,
              to: to + 1,
              bucketMs: options.bucketMs,
              // The window's own buckets, and the one a boundary inside the first adds.
              maxBuckets: Math.ceil(options.windowMs / options.bucketMs) + 2,
            }),
          },
        }),
  };
}
