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
 * The client sends one trace per OTLP request, so a batch is one request per trace; span ids derive
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
   * Sends every trace of the batch, even when one fails; once `signal` aborts (its queue gave up on closing), the
   * request in flight is cancelled and the rest of the batch is not sent.
   * @throws LlmopsError the failure of the experiment lookup, or `upstream_error` (retryable when every
   * failure was) saying how many traces of the batch were not stored and why the first failed.
   */
  async write(traces: readonly PipelineTrace[], options: { signal?: AbortSignal } = {}): Promise<void> {
    if (traces.length === 0) return;
    const { signal } = options;
    const experimentId = await this.experiment();
    const failures: LlmopsError[] = [];
    for (const trace of traces) {
      if (signal?.aborted) {
        failures.push(LlmopsError.fromUnknown(signal.reason));
        continue;
      }
      try {
        await this.client.traces.log({
          experimentId,
          otelTraceId: trace.traceId,
          spans: toMlflowSpans(trace),
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        failures.push(LlmopsError.fromUnknown(error));
      }
    }
    const first = failures[0];
    if (!first) return;
    throw new LlmopsError(
      traces.length === 1 ? first.code : 'upstream_error',
      `MLflow trace sink: ${failures.length} of ${traces.length} traces not stored in experiment "${this.experimentName}"; first: ${first.message}`,
      { cause: first, retryable: failures.every((failure) => failure.retryable) },
    );
  }
}
