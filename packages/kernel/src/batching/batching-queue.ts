/** Settings of {@link BatchingQueue}. */
export interface BatchingQueueOptions<T> {
  /** Writes one batch (a store's append, an exporter's send); a rejection drops the batch, counted. */
  write: (batch: T[]) => Promise<void>;
  /** Items waiting at most; an item recorded when the queue is full is dropped (and counted). 10,000 by default. */
  maxQueued?: number;
  /** Items per `write`; 100 by default. */
  batchSize?: number;
  /** Longest time an item waits before its batch is written, in ms; 1,000 by default. */
  flushIntervalMs?: number;
  /**
   * Told about a failed `write` (the batch is dropped): the error and how many items were lost.
   * Log the error's code and message only; nothing is logged by default.
   */
  onError?: (error: unknown, dropped: number) => void;
}

/** Counters of a {@link BatchingQueue}. */
export interface BatchingQueueStats {
  /** Items waiting to be written (the batch being written included). */
  queued: number;
  written: number;
  /** Items lost: recorded while the queue was full or closed, or in a batch whose write failed. */
  dropped: number;
}

/**
 * Keeps writes off a request's path: {@link record} only queues (bounded; never blocks, never throws;
 * back-pressure is a counted drop), and batches are written when `batchSize` items wait (in the next
 * event-loop turn, after the request that filled the batch) or `flushIntervalMs` has passed since the
 * oldest one (the timer is `unref`'d, so it never keeps a process alive). A backlog is written one
 * batch per event-loop turn, so a store that writes synchronously (SQLite) holds the loop for one
 * batch at a time: `batchSize` bounds that pause. A failing write loses its batch, never a request. Call {@link close} on shutdown
 * (SIGTERM) to write what is left.
 */
export class BatchingQueue<T> {
  private readonly writeBatch: (batch: T[]) => Promise<void>;
  private readonly maxQueued: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly onError: ((error: unknown, dropped: number) => void) | undefined;
  private queue: T[] = [];
  private writing = 0;
  private written = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> = Promise.resolve();
  private closed = false;
  private flushScheduled = false;

  constructor(options: BatchingQueueOptions<T>) {
    this.writeBatch = options.write;
    this.maxQueued = options.maxQueued ?? 10_000;
    this.batchSize = options.batchSize ?? 100;
    this.flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.onError = options.onError;
  }

  /** The longest an item waits before it is written, in ms. */
  get interval(): number {
    return this.flushIntervalMs;
  }

  /** Queues an item; drops it (counted) when the queue is full or closed. */
  record(item: T): void {
    if (this.closed || this.queue.length + this.writing >= this.maxQueued) {
      this.dropped += 1;
      return;
    }
    this.queue.push(item);
    if (this.queue.length >= this.batchSize) {
      // Not now: the request that filled the batch answers first (a store's write may block the event loop).
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          void this.flush();
        });
      }
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes every queued item now, in batches; resolves when they are written (or dropped). Never rejects. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.draining = this.draining.then(() => this.drain());
    return this.draining;
  }

  /** Stops accepting items and writes the ones queued. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** How many items wait, were written, were dropped. */
  stats(): BatchingQueueStats {
    return { queued: this.queue.length + this.writing, written: this.written, dropped: this.dropped };
  }

  private async drain(): Promise<void> {
    let first = true;
    while (this.queue.length > 0) {
      // Between two batches the event loop turns, so requests are served between the writes of a long backlog.
      if (!first) await new Promise((resolve) => setImmediate(resolve));
      first = false;
      const batch = this.queue.splice(0, this.batchSize);
      this.writing = batch.length;
      try {
        await this.writeBatch(batch);
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
