import { mlflowTraceId } from '@llmops/mlflow-client';
import type { TracesApi } from '@llmops/mlflow-client';
import type { RequestEvent } from '../../domain/request-event.js';
import type { EventStore } from '../../ports.js';
import { eventTraceTags } from './event-trace-tags.js';
import { partialTraceWriteError, TraceWriteRetries } from './trace-write-retries.js';
import type { TraceWriteRetryOptions } from './trace-write-retries.js';

/** Options of {@link MlflowEventTagWriter}. */
export interface MlflowEventTagWriterOptions extends TraceWriteRetryOptions {
  /** The MLflow client's traces (`getInfo`, `setTag`). */
  traces: Pick<TracesApi, 'getInfo' | 'setTag'>;
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
  private readonly retries: TraceWriteRetries;
  private readonly counts: MlflowEventTagStats = { tagged: 0, skipped: 0, failed: 0 };

  constructor(options: MlflowEventTagWriterOptions) {
    this.traces = options.traces;
    this.retries = new TraceWriteRetries(options);
  }

  stats(): MlflowEventTagStats {
    return { ...this.counts };
  }

  /**
   * Waits for the traces recorded so far to be written, then tags the trace of every event of the batch; events
   * whose trace is still not there are tried again after a wait. Once `signal` aborts (its queue gave up on closing),
   * the calls in flight are cancelled and nothing more is tried.
   * @throws LlmopsError `upstream_error` saying how many events of the batch were not tagged and why the first was not
   * (the others were tagged; the queue counts the batch as dropped).
   */
  async append(events: readonly RequestEvent[], options: { signal?: AbortSignal } = {}): Promise<void> {
    const traced = events.filter((event) => event.traceId !== undefined);
    this.counts.skipped += events.length - traced.length;
    const { signal } = options;
    const failures = await this.retries.writeAll(traced, (event) => this.tag(event, signal), signal);
    this.counts.tagged += traced.length - failures.length;
    if (failures.length === 0) return;
    this.counts.failed += failures.length;
    throw partialTraceWriteError('MLflow event tags', failures, events.length);
  }

  /**
   * Looks the trace up first (`not_found` while it is not there: MLflow 3.17 would answer a tag on a missing trace
   * with a foreign key error), then sets every tag at once.
   */
  private async tag(event: RequestEvent, signal: AbortSignal | undefined): Promise<void> {
    const traceId = mlflowTraceId(event.traceId as string);
    const cancel = signal ? { signal } : {};
    await this.traces.getInfo(traceId, cancel);
    await Promise.all(
      Object.entries(eventTraceTags(event)).map(([key, value]) =>
        this.traces.setTag({ traceId, key, value, ...cancel }),
      ),
    );
  }
}
