// Request events: the one definition, and what is derived from them.
export { isFailedEvent } from './domain/request-event.js';
export type { CacheStatus, GuardrailVerdict, RequestEvent } from './domain/request-event.js';
export { quantileOfSorted, summarizeEvents } from './domain/event-summary.js';
export type { ModelVersionSummary } from './domain/event-summary.js';
export { parseSinceDuration } from './domain/since-duration.js';

// Ports.
export type { EventQuery, EventSink, EventStore } from './ports.js';

// Use cases.
export { BatchingEventQueue } from './application/batching-event-queue.js';
export type { BatchingEventQueueOptions, EventQueueStats } from './application/batching-event-queue.js';
export { fanOutEvents } from './application/event-fan-out.js';
export { startEventRetention } from './application/event-retention.js';
export type { EventRetention, EventRetentionOptions } from './application/event-retention.js';
export { buildMonitoringReport } from './application/monitoring-report.js';
export type { MonitoringReport, MonitoringReportOptions } from './application/monitoring-report.js';
export { hashQuestion } from './application/question-hash.js';

// Adapters.
export { SqliteEventStore } from './adapters/sqlite/sqlite-event-store.js';
export type { SqliteEventStoreOptions } from './adapters/sqlite/sqlite-event-store.js';
export { openEventStore } from './adapters/open-event-store.js';
export type { OpenEventStoreOptions, OpenedEventStore } from './adapters/open-event-store.js';
export { RequestMetrics } from './adapters/prometheus/request-metrics.js';
export type { RequestMetricsOptions } from './adapters/prometheus/request-metrics.js';
