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
}

/** Counters of a {@link BatchingEventQueue}. */
export interface EventQueueStats {
  /** Events waiting to be written (the batch being written included). */
  queued: number;
  written: number;
  /** Events lost: recorded while the queue was full or closed, or in a batch whose write failed. */
  dropped: number;
}

/**
 * Keeps request events off the request's path: {@link record} only queues (bounded; never blocks,
 * never throws; back-pressure is a counted drop), and batches go to the store when `batchSize`
 * events wait or `flushIntervalMs` has passed since the oldest one (the timer is `unref`'d). Call
 * {@link close} on shutdown (SIGTERM) to write what is left.
 */
export class BatchingEventQueue implements EventSink {
  private readonly store: Pick<EventStore, 'append'>;
  private readonly maxQueued: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly onError: ((error: unknown, dropped: number) => void) | undefined;
  private queue: RequestEvent[] = [];
  private writing = 0;
  private written = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: BatchingEventQueueOptions) {
    this.store = options.store;
    this.maxQueued = options.maxQueued ?? 10_000;
    this.batchSize = options.batchSize ?? 500;
    this.flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.onError = options.onError;
  }

  /** The longest an event waits before it is written, in ms. */
  get interval(): number {
    return this.flushIntervalMs;
  }

  /** Queues an event; drops it (counted) when the queue is full or closed. */
  record(event: RequestEvent): void {
    if (this.closed || this.queue.length + this.writing >= this.maxQueued) {
      this.dropped += 1;
      return;
    }
    this.queue.push(event);
    if (this.queue.length >= this.batchSize) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes every queued event now, in batches; resolves when they are written (or dropped). Never rejects. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.draining = this.draining.then(() => this.drain());
    return this.draining;
  }

  /** Stops accepting events and writes the ones queued. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  stats(): EventQueueStats {
    return { queued: this.queue.length + this.writing, written: this.written, dropped: this.dropped };
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      this.writing = batch.length;
      try {
        await this.store.append(batch);
        this.written += batch.length;
      } catch (error) {
        this.dropped += batch.length;
        try {
          this.onError?.(error, batch.length);
        } catch {
          // A failing error callback must not stop the drain.
        }
      } finally {
        this.writing = 0;
      }
    }
  }
}
