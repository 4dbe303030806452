import { setTimeout as sleep } from 'node:timers/promises';
import { LlmopsError } from '@llmops/kernel';

/** How {@link TraceWriteRetries} waits for traces that are not in MLflow yet. */
export interface TraceWriteRetryOptions {
  /**
   * Resolves once the traces recorded so far are in MLflow (serving's trace queue `flush`); awaited before each
   * batch, so a trace is written to after it exists rather than raced against it. A trace write can take
   * seconds (7 s for the first one to a freshly started MLflow), longer than the retries below wait.
   */
  tracesWritten?: () => Promise<void>;
  /** Writes at the same time; 4 by default. */
  concurrency?: number;
  /**
   * How many more times a write whose trace is not in MLflow yet is tried (the trace sink writes traces in its own
   * batches, so a trace may arrive after what is written onto it); 3 by default.
   */
  missingTraceRetries?: number;
  /** The wait before those writes are tried again, in ms; 1,000 by default (the trace sink's flush interval). */
  missingTraceDelayMs?: number;
  /** How the writer waits (tests pass one that does not). */
  wait?: (ms: number) => Promise<void>;
}

/**
 * Writes a batch of items onto MLflow traces (tags, assessments): waits for the traces recorded so far to be
 * written, writes every item a few at a time, and tries the items whose trace MLflow does not have yet (`not_found`)
 * again after a wait. One loop for everything monitoring copies onto traces.
 */
export class TraceWriteRetries {
  private readonly tracesWritten: () => Promise<void>;
  private readonly concurrency: number;
  private readonly missingTraceRetries: number;
  private readonly missingTraceDelayMs: number;
  private readonly wait: (ms: number) => Promise<void>;

  constructor(options: TraceWriteRetryOptions) {
    this.tracesWritten = options.tracesWritten ?? (() => Promise.resolve());
    this.concurrency = options.concurrency ?? 4;
    this.missingTraceRetries = options.missingTraceRetries ?? 3;
    this.missingTraceDelayMs = options.missingTraceDelayMs ?? 1_000;
    this.wait = options.wait ?? ((ms) => sleep(ms));
  }

  /**
   * Writes every item; returns the failures (a trace that never appeared, a write MLflow refused, an item not tried
   * because `signal` aborted), none when all went.
   */
  async writeAll<Item>(
    items: readonly Item[],
    write: (item: Item) => Promise<void>,
    signal?: AbortSignal,
  ): Promise<LlmopsError[]> {
    let pending = [...items];
    if (pending.length > 0) await this.tracesWritten();
    const failures: LlmopsError[] = [];
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) await this.wait(this.missingTraceDelayMs);
      const missing: Item[] = [];
      const lastAttempt = attempt >= this.missingTraceRetries;
      await this.forEachLimited(pending, async (item) => {
        if (signal?.aborted) {
          failures.push(LlmopsError.fromUnknown(signal.reason));
          return;
        }
        try {
          await write(item);
        } catch (error) {
          const failure = LlmopsError.fromUnknown(error);
          if (failure.code === 'not_found' && !lastAttempt) missing.push(item);
          else failures.push(failure);
        }
      });
      pending = missing;
    }
    return failures;
  }

  private async forEachLimited<Item>(items: readonly Item[], work: (item: Item) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const item = items[next] as Item;
        next += 1;
        await work(item);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
  }
}

/** The error a writer throws for a batch some of whose items were not written (the others were). */
export function partialTraceWriteError(what: string, failures: readonly LlmopsError[], total: number): LlmopsError {
  const first = failures[0] as LlmopsError;
  return new LlmopsError(
    'upstream_error',
    `${what}: ${failures.length} of ${total} not written on their traces; first: ${first.message}`,
    { cause: first, retryable: failures.every((failure) => failure.retryable) },
  );
}
