import { setTimeout as sleep } from 'node:timers/promises';
import { LlmopsError } from '@llmops/kernel';
import { mlflowTraceId } from '@llmops/mlflow-client';
import type { TracesApi } from '@llmops/mlflow-client';
import type { RequestEvent } from '../../domain/request-event.js';
import type { EventStore } from '../../ports.js';
import { eventTraceTags } from './event-trace-tags.js';

/** Options of {@link MlflowEventTagWriter}. */
export interface MlflowEventTagWriterOptions {
  /** The MLflow client's traces (`getInfo`, `setTag`). */
  traces: Pick<TracesApi, 'getInfo' | 'setTag'>;
  /**
   * Resolves once the traces recorded so far are in MLflow (serving's trace queue `flush`); awaited before each
   * batch, so an event is tagged after its trace is written rather than raced against it. A trace write can take
   * seconds (7 s for the first one to a freshly started MLflow), longer than the retries below wait.
   */
  tracesWritten?: () => Promise<void>;
  /** Events tagged at the same time; 4 by default. */
  concurrency?: number;
  /**
   * How many more times an event whose trace is not in MLflow yet is tried (the trace sink writes traces in its own
   * batches, so a trace may arrive after its event); 3 by default.
   */
  missingTraceRetries?: number;
  /** The wait before those events are tried again, in ms; 1,000 by default (the trace sink's flush interval). */
  missingTraceDelayMs?: number;
  /** How the writer waits (tests pass one that does not). */
  wait?: (ms: number) => Promise<void>;
}

/** Counters of a {@link MlflowEventTagWriter}. */
export interface MlflowEventTagStats {
  /** Events whose tags are all on their trace. */
  tagged: number;
  /** Events without a trace id (nothing to tag). */
  skipped: number;
  /** Events whose trace never appeared or whose tags MLflow refused. */
  failed: number;
}

/**
 * Appends request events to MLflow as tags of each request's trace (`tr-<traceId>`, see {@link eventTraceTags}), so
 * MLflow's UI and `mlflow.get_trace(id).info.tags` show how each request went. A copy for people: the SQLite file
 * stays the store reports, SLOs and drift read. Put it behind its own `BatchingEventQueue`: requests never wait for it.
 */
export class MlflowEventTagWriter implements Pick<EventStore, 'append'> {
  private readonly traces: Pick<TracesApi, 'getInfo' | 'setTag'>;
  private readonly tracesWritten: () => Promise<void>;
  private readonly concurrency: number;
  private readonly missingTraceRetries: number;
  private readonly missingTraceDelayMs: number;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly counts: MlflowEventTagStats = { tagged: 0, skipped: 0, failed: 0 };

  constructor(options: MlflowEventTagWriterOptions) {
    this.traces = options.traces;
    this.tracesWritten = options.tracesWritten ?? (() => Promise.resolve());
    this.concurrency = options.concurrency ?? 4;
    this.missingTraceRetries = options.missingTraceRetries ?? 3;
    this.missingTraceDelayMs = options.missingTraceDelayMs ?? 1_000;
    this.wait = options.wait ?? ((ms) => sleep(ms));
  }

  stats(): MlflowEventTagStats {
    return { ...this.counts };
  }

  /**
   * Waits for the traces recorded so far to be written, then tags the trace of every event of the batch; events
   * whose trace is still not there are tried again after a wait.
   * @throws LlmopsError `upstream_error` saying how many events of the batch were not tagged and why the first was not
   * (the others were tagged; the queue counts the batch as dropped).
   */
  async append(events: readonly RequestEvent[]): Promise<void> {
    let pending = events.filter((event) => event.traceId !== undefined);
    this.counts.skipped += events.length - pending.length;
    if (pending.length > 0) await this.tracesWritten();
    const failures: LlmopsError[] = [];
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) await this.wait(this.missingTraceDelayMs);
      const missing: RequestEvent[] = [];
      const lastAttempt = attempt >= this.missingTraceRetries;
      await this.forEachLimited(pending, async (event) => {
        try {
          await this.tag(event);
          this.counts.tagged += 1;
        } catch (error) {
          const failure = LlmopsError.fromUnknown(error);
          if (failure.code === 'not_found' && !lastAttempt) missing.push(event);
          else failures.push(failure);
        }
      });
      pending = missing;
    }
    const first = failures[0];
    if (!first) return;
    this.counts.failed += failures.length;
    throw new LlmopsError(
      'upstream_error',
      `MLflow event tags: ${failures.length} of ${events.length} events not tagged on their traces; first: ${first.message}`,
      { cause: first, retryable: failures.every((failure) => failure.retryable) },
    );
  }

  /**
   * Looks the trace up first (`not_found` while it is not there: MLflow 3.17 would answer a tag on a missing trace
   * with a foreign key error), then sets every tag at once.
   */
  private async tag(event: RequestEvent): Promise<void> {
    const traceId = mlflowTraceId(event.traceId as string);
    await this.traces.getInfo(traceId);
    await Promise.all(
      Object.entries(eventTraceTags(event)).map(([key, value]) => this.traces.setTag({ traceId, key, value })),
    );
  }

  private async forEachLimited(events: readonly RequestEvent[], work: (event: RequestEvent) => Promise<void>) {
    let next = 0;
    const worker = async () => {
      while (next < events.length) {
        const event = events[next] as RequestEvent;
        next += 1;
        await work(event);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, events.length) }, worker));
  }
}
