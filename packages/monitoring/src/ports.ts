import type { RequestEvent } from './domain/request-event.js';

/** Where serving hands each request's event: must return at once and never throw. */
export interface EventSink {
  record(event: RequestEvent): void;
}

/** Which events to read back: a window, optionally one model or one of its versions. */
export interface EventQuery {
  /** Milliseconds since the epoch: events at or after it. */
  since: number;
  /** Milliseconds since the epoch: events before it; no end by default. */
  until?: number;
  modelName?: string;
  /** Only with `modelName`. */
  modelVersion?: number;
  /** Newest first (for pages of recent events); oldest first by default. */
  newestFirst?: boolean;
  /** At most this many events (a page); all by default. */
  limit?: number;
  /** Events skipped before the page starts; 0 by default. */
  offset?: number;
}

/** Where request events are kept. */
export interface EventStore {
  /**
   * Stores a batch: all of it or none.
   * @throws LlmopsError `unavailable` when the store cannot take it now (the caller drops the batch and counts it).
   */
  append(events: readonly RequestEvent[]): Promise<void>;
  /** The events a query selects, oldest first (or newest first), paged by `limit` and `offset`. */
  list(query: EventQuery): Promise<RequestEvent[]>;
  /** Deletes the events older than `cutoff` (ms since the epoch); returns how many went. */
  deleteBefore(cutoff: number): Promise<number>;
  close(): void;
}
