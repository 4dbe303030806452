import { BatchingQueue } from '@llmops/kernel';
import type { BatchingQueueStats } from '@llmops/kernel';
import type { RequestEvent } from '../domain/request-event.js';
import type { EventSink, EventStore } from '../ports.js';

/** Settings of {@link BatchingEventQueue}. */
export interface BatchingEventQueueOptions {
  store: Pick<EventStore, 'append'>;
  /** Events waiting at most; an event recorded when the queue is full is dropped (and counted). 10,000 by default. */
  maxQueued?: number;
  /** Events per `append`; 500 by default. */
  batchSize?: number;
  /**
   * Longest time an event waits before its batch is written, in ms; 1,000 by default. After a crash
   * (kill -9) every event recorded more than this long before it is in the store.
   */
  flushIntervalMs?: number;
  /** Told about a failed `append` (the batch is dropped): the error and how many events were lost. */
  onError?: (error: unknown, dropped: number) => void;
  /** Longest wait of `close` for the events queued, in ms; 10,000 by default, then the rest is abandoned (counted). */
  closeTimeoutMs?: number;
}

/** Counters of a {@link BatchingEventQueue}. */
export type EventQueueStats = BatchingQueueStats;

/**
 * Keeps request events off the request's path: the kernel's {@link BatchingQueue} appending batches
 * to the event store (bounded; never blocks, never throws; back-pressure is a counted drop). After a
 * crash (kill -9) every event recorded more than `flushIntervalMs` before it is in the store. Call
 * `close` on shutdown (SIGTERM) to write what is left (within `closeTimeoutMs`).
 */
export class BatchingEventQueue extends BatchingQueue<RequestEvent> implements EventSink {
  constructor(options: BatchingEventQueueOptions) {
    const { store, ...settings } = options;
    super({
      ...settings,
      batchSize: settings.batchSize ?? 500,
      write: (batch, signal) => store.append(batch, { signal }),
    });
  }
}
