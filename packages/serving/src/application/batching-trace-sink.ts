import type { TraceSink } from '../ports.js';
import type { PipelineTrace } from './pipeline.js';

/** What the serving service hands finished traces to: must return at once and never throw. */
export interface TraceQueue {
  record(trace: PipelineTrace): void;
}

/** Settings of {@link BatchingTraceSink}. */
export interface BatchingTraceSinkOptions {
  /** Where batches are written (the SQLite store, MLflow's OTLP endpoint, a collector). */
  sink: TraceSink;
  /** Traces waiting at most; a trace recorded when the queue is full is dropped (and counted). 10,000 by default. */
  maxQueued?: number;
  /** Traces per `write`; 100 by default. */
  batchSize?: number;
  /** Longest time a trace waits before its batch is written, in ms; 1,000 by default. */
  flushIntervalMs?: number;
  /**
   * Told about a failed `write` (the batch is dropped): the error and how many traces were lost.
   * Log the error's code and message only; nothing is logged by default.
   */
  onError?: (error: unknown, dropped: number) => void;
}

/** Counters of a {@link BatchingTraceSink}. */
export interface TraceSinkStats {
  /** Traces waiting to be written (writing included). */
  queued: number;
  written: number;
  /** Traces lost: recorded while the queue was full, or in a batch whose write failed. */
  dropped: number;
}

/**
 * Keeps traces off the request's path: {@link record} only queues (bounded; never blocks, never
 * throws), and batches are written to the wrapped {@link TraceSink} when `batchSize` traces are
 * waiting or `flushIntervalMs` has passed (timers are `unref`'d, so they never keep a process
 * alive). A failing sink loses the batch, never a request. Call {@link close} on shutdown (SIGTERM)
 * to write what is left.
 */
export class BatchingTraceSink implements TraceQueue {
  private readonly sink: TraceSink;
  private readonly maxQueued: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly onError: ((error: unknown, dropped: number) => void) | undefined;
  private queue: PipelineTrace[] = [];
  private writing = 0;
  private written = 0;
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: BatchingTraceSinkOptions) {
    this.sink = options.sink;
    this.maxQueued = options.maxQueued ?? 10_000;
    this.batchSize = options.batchSize ?? 100;
    this.flushIntervalMs = options.flushIntervalMs ?? 1_000;
    this.onError = options.onError;
  }

  /** Queues a finished trace; drops it (counted) when the queue is full or the sink is closed. */
  record(trace: PipelineTrace): void {
    if (this.closed || this.queue.length + this.writing >= this.maxQueued) {
      this.dropped += 1;
      return;
    }
    this.queue.push(trace);
    if (this.queue.length >= this.batchSize) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /** Writes every queued trace now, in batches; resolves when they are written (or dropped). Never rejects. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.draining = this.draining.then(() => this.drain());
    return this.draining;
  }

  /** Stops accepting traces and writes the ones queued. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** How many traces wait, were written, were dropped. */
  stats(): TraceSinkStats {
    return { queued: this.queue.length + this.writing, written: this.written, dropped: this.dropped };
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.batchSize);
      this.writing = batch.length;
      try {
        await this.sink.write(batch);
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
