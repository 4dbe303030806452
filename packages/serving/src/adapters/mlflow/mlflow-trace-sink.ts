import { LlmopsError } from '@llmops/kernel';
import type { MlflowClient } from '@llmops/mlflow-client';
import type { PipelineTrace } from '../../application/pipeline.js';
import type { TraceSink } from '../../ports.js';
import { toMlflowSpans } from './mlflow-trace-spans.js';

/** The experiment served traces go to unless told otherwise. */
export const defaultTraceExperimentName = 'llmops-serving';

/** Options of {@link MlflowTraceSink}. */
export interface MlflowTraceSinkOptions {
  client: MlflowClient;
  /** The experiment holding the traces, created if missing; `llmops-serving` by default. */
  experimentName?: string;
}

/**
 * Writes served traces to an MLflow tracking server by OTLP/HTTP (`POST /v1/traces`) into one
 * experiment (`llmops-serving` by default, created on first write, its id then cached). Each trace
 * becomes a root span `chat.completions <model>` with the pipeline's steps as children (see
 * {@link toMlflowSpans}); Python's `mlflow.search_traces` finds them by the `llmops.*` tags.
 * A batch of traces is one OTLP request (since 2026-11-30; one request per trace before); span ids derive
 * from the trace id, so a retried batch rewrites the same spans.
 */
export class MlflowTraceSink implements TraceSink {
  /** The experiment's name. */
  readonly experimentName: string;
  private readonly client: MlflowClient;
  private experimentId: Promise<string> | undefined;

  constructor(options: MlflowTraceSinkOptions) {
    this.client = options.client;
    this.experimentName = options.experimentName ?? defaultTraceExperimentName;
  }

  /** The experiment's id (created if missing), asked once and then cached; a failed lookup is asked again next time. */
  async experiment(): Promise<string> {
    this.experimentId ??= this.client.experiments.getOrCreate({ name: this.experimentName }).catch((error: unknown) => {
      this.experimentId = undefined;
      throw error;
    });
    return this.experimentId;
  }

  /**
   * Sends the batch in one OTLP request (each trace under its own pipeline trace id, so a retried batch rewrites the
   * same traces); the request is cancelled once `signal` aborts (its queue gave up on closing).
   * @throws LlmopsError the failure of the experiment lookup, or of the request, saying how many traces were not stored.
   */
  async write(traces: readonly PipelineTrace[], options: { signal?: AbortSignal } = {}): Promise<void> {
    if (traces.length === 0) return;
    const { signal } = options;
    const experimentId = await this.experiment();
    try {
      await this.client.traces.logMany({
        experimentId,
        traces: traces.map((trace) => ({ otelTraceId: trace.traceId, spans: toMlflowSpans(trace) })),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      const failure = LlmopsError.fromUnknown(error);
      throw new LlmopsError(
        failure.code,
        `MLflow trace sink: ${traces.length} trace(s) not stored in experiment "${this.experimentName}": ${failure.message}`,
        { cause: failure, retryable: failure.retryable },
      );
    }
  }
}
