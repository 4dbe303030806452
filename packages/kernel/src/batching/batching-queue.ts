import { LlmopsError } from '../errors/llmops-error.js';

/** Settings of {@link BatchingQueue}. */
export interface BatchingQueueOptions<T> {
  /**
   * Writes one batch (a store's append, an exporter's send); a rejection drops the batch, counted. `signal` aborts
   * when {@link BatchingQueue.close} gives up on the batch (pass it to the request, so no socket outlives the queue).
   */
  write: (batch: T[], signal: AbortSignal) => Promise<void>;
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
  /**
   * Longest wait of {@link BatchingQueue.close} for the items queued, in ms; 10,000 by default. What is not written
   * by then is abandoned: counted in `abandoned` (and `dropped`), reported once through `onError` (code `timeout`),
   * and the batch being written is aborted through its signal. A destination that hangs cannot hold a shutdown.
   */
  closeTimeoutMs?: number;
}

/** Counters of a {@link BatchingQueue}. */
export interface BatchingQueueStats {
  /** Items waiting to be written (the batch being written included). */
  queued: number;
  written: number;
  /** Items lost: recorded while the queue was full or closed, in a batch whose write failed, or abandoned. */
  dropped: number;
  /** Of the dropped items, those still unwritten when `close` gave up waiting (`closeTimeoutMs`). */
  abandoned: number;
}

/**
 * Keeps writes off a request's path: {@link record} only queues (bounded; never blocks, never throws;
 * back-pressure is a counted drop), and batches are written when `batchSize` items wait (in the next
 * event-loop turn, after the request that filled the batch) or `flushIntervalMs` has passed since the
 * oldest one (the timer is `unref`'d, so it never keeps a process alive). A backlog is written one
 * batch per event-loop turn, so a store that writes synchronously (SQLite) holds the loop for one
 * batch at a time: `batchSize` bounds that pause. A failing write loses its batch, never a request. Call {@link close} on shutdown
 * (SIGTERM) to write what is left, within `closeTimeoutMs`.
 */
export class BatchingQueue<T> {
  private readonly writeBatch: (batch: T[], signal: AbortSignal) => Promise<void>;
  private readonly maxQueued: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly onError: ((error: unknown, dropped: number) => void) | undefined;
  private readonly closeTimeoutMs: number;
  private readonly abort = new AbortController();
  private queue: T[] = [];
  private writing = 0;
  private written = 0;
  private dropped = 0;
  private abandoned = 0;
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
    this.closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
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

  /**
   * Writes every queued item now, in batches; resolves when they are written (or dropped), at once once `close` has
   * given up. Never rejects.
   */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.abort.signal.aborted) return Promise.resolve();
    this.draining = this.draining.then(() => this.drain());
    return this.draining;
  }

  /**
   * Stops accepting items and writes the ones queued, waiting `closeTimeoutMs` at most: what is still unwritten
   * then is abandoned (counted, reported once through `onError`, its write aborted). Never rejects.
   */
  async close(): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.closeTimeoutMs);
    });
    try {
      if ((await Promise.race([this.flush(), deadline])) === 'late') this.giveUp();
    } finally {
      clearTimeout(timer);
    }
  }

  /** How many items wait, were written, were dropped (of which abandoned on close). */
  stats(): BatchingQueueStats {
    return {
      queued: this.queue.length + this.writing,
      written: this.written,
      dropped: this.dropped,
      abandoned: this.abandoned,
    };
  }

  /** Abandons what `close` could not write in time: the batch being written (aborted) and the ones waiting. */
  private giveUp(): void {
    const left = this.queue.length + this.writing;
    this.queue = [];
    this.writing = 0;
    this.abandoned += left;
    this.dropped += left;
    this.abort.abort(new LlmopsError('timeout', `closing: gave up waiting after ${this.closeTimeoutMs} ms`));
    this.report(
      new LlmopsError(
        'timeout',
        `${left} item(s) not written within ${this.closeTimeoutMs} ms of closing (the destination is slow or unreachable); abandoned`,
      ),
      left,
    );
  }

  private report(error: unknown, dropped: number): void {
    try {
      this.onError?.(error, dropped);
    } catch {
      // A failing error callback must not stop the drain.
    }
  }

  private async drain(): Promise<void> {
    let first = true;
    const { signal } = this.abort;
    while (this.queue.length > 0 && !signal.aborted) {
      // Between two batches the event loop turns, so requests are served between the writes of a long backlog.
      if (!first) await new Promise((resolve) => setImmediate(resolve));
      first = false;
      if (signal.aborted) return;
      const batch = this.queue.splice(0, this.batchSize);
      this.writing = batch.length;
      try {
        await this.writeBatch(batch, signal);
        // A batch abandoned by close is counted there, however its write ended.
        if (!signal.aborted) this.written += batch.length;
      } catch (error) {
        if (!signal.aborted) {
          this.dropped += batch.length;
          this.report(error, batch.length);
        }
      } finally {
        if (!signal.aborted) this.writing = 0;
      }
    }
  }
}
