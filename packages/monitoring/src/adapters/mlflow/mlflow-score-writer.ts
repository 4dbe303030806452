import { mlflowTraceId } from '@llmops/mlflow-client';
import type { AssessmentSourceType, TracesApi } from '@llmops/mlflow-client';
import type { EventStore, JudgeKind, OnlineScore } from '../../ports.js';
import { partialTraceWriteError, TraceWriteRetries } from './trace-write-retries.js';
import type { TraceWriteRetryOptions } from './trace-write-retries.js';

/** Options of {@link MlflowScoreWriter}. */
export interface MlflowScoreWriterOptions extends TraceWriteRetryOptions {
  /** The MLflow client's traces (`logFeedback`). */
  traces: Pick<TracesApi, 'logFeedback'>;
}

/** Counters of a {@link MlflowScoreWriter}. */
export interface MlflowScoreStats {
  /** Scores logged as assessments. */
  logged: number;
  /** Scores of requests without a trace id (nothing to attach them to). */
  skipped: number;
  /** Scores whose trace never appeared or that MLflow refused. */
  failed: number;
}

/** MLflow's name for who scored: an LLM judge, or code (the offline heuristic judge). */
const sourceTypes: Record<JudgeKind, AssessmentSourceType> = { llm: 'LLM_JUDGE', code: 'CODE' };

/**
 * Attaches online evaluation scores to each request's MLflow trace (`tr-<traceId>`) as feedback assessments, as
 * `mlflow.log_feedback` would: the metric is the name, the score the value, the judge the source, the request id in
 * the metadata. MLflow's UI shows them on the trace and `mlflow.get_trace(id).info.assessments` reads them. A copy
 * for people: `monitoring_scores` in the SQLite file stays what objectives and drift read.
 */
export class MlflowScoreWriter implements Pick<EventStore, 'appendScores'> {
  private readonly traces: Pick<TracesApi, 'logFeedback'>;
  private readonly retries: TraceWriteRetries;
  private readonly counts: MlflowScoreStats = { logged: 0, skipped: 0, failed: 0 };

  constructor(options: MlflowScoreWriterOptions) {
    this.traces = options.traces;
    this.retries = new TraceWriteRetries(options);
  }

  stats(): MlflowScoreStats {
    return { ...this.counts };
  }

  /**
   * Logs each score that has a trace id as a feedback on its trace, trying again while the trace is not in MLflow yet.
   * @throws LlmopsError `upstream_error` saying how many scores were not logged and why the first was not.
   */
  async appendScores(scores: readonly OnlineScore[]): Promise<void> {
    const traced = scores.filter((score) => score.traceId !== undefined);
    this.counts.skipped += scores.length - traced.length;
    const failures = await this.retries.writeAll(traced, (score) => this.log(score));
    this.counts.logged += traced.length - failures.length;
    if (failures.length === 0) return;
    this.counts.failed += failures.length;
    throw partialTraceWriteError('MLflow online scores', failures, scores.length);
  }

  private async log(score: OnlineScore): Promise<void> {
    await this.traces.logFeedback({
      traceId: mlflowTraceId(score.traceId as string),
      name: score.metric,
      value: score.score,
      source: { type: sourceTypes[score.judgeKind ?? 'llm'], id: score.judge },
      rationale: 'llmops online evaluation',
      metadata: { 'llmops.request_id': score.requestId, 'llmops.scored_at': new Date(score.scoredAt).toISOString() },
    });
  }
}
