import { BatchingQueue } from '@llmops/kernel';
import type { BatchingQueueStats } from '@llmops/kernel';
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
  /** Longest wait of `close` for the traces queued, in ms; 10,000 by default, then the rest is abandoned (counted). */
  closeTimeoutMs?: number;
}

/** Counters of a {@link BatchingTraceSink}. */
export type TraceSinkStats = BatchingQueueStats;

/**
 * Keeps traces off the request's path: the kernel's {@link BatchingQueue} writing batches to a
 * {@link TraceSink} (the SQLite store, MLflow's OTLP endpoint, a collector). A failing sink loses the
 * batch, never a request. Call `close` on shutdown (SIGTERM) to write what is left (within `closeTimeoutMs`).
 */
export class BatchingTraceSink extends BatchingQueue<PipelineTrace> implements TraceQueue {
  constructor(options: BatchingTraceSinkOptions) {
    const { sink, ...settings } = options;
    super({ ...settings, write: (batch, signal) => sink.write(batch, { signal }) });
  }
}
