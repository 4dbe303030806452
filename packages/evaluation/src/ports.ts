import type { EvaluationRunRecord, TargetDescription } from './domain/evaluation-run.js';
import type { Example } from './domain/example.js';
import type { ExampleResult, RetrievalSource, TokenUsage } from './domain/example-result.js';
import type { JudgeAnswer, JudgeTask, JudgeTaskKind } from './domain/judgement.js';
import type { MetricName } from './domain/metric-catalog.js';
import type { ExampleQuery, IndexedExample, MetricHistogram, Page, RunSearch } from './domain/run-browsing.js';
import type { RunScores } from './domain/run-scores.js';

/** What a target answered for one example. */
export interface TargetOutput {
  output: string;
  /** The passages the target retrieved and gave the model, in rank order (RAG targets). */
  retrievalContext?: string[];
  /** Where each passage of `retrievalContext` came from (same order), when the target knows. */
  retrievalSources?: RetrievalSource[];
  /** The id of the trace the target recorded for this call, when it recorded one. */
  traceId?: string;
  usage?: TokenUsage | null;
  /** Measured by the target; the runner measures the call when absent. */
  latencyMs?: number;
  /** Known by the target; the runner prices the usage with its pricing table when absent. */
  costUsd?: number | null;
  /** The model that answered (for pricing and reports). */
  model?: string;
}

/** Per-call options of a target. */
export interface TargetCallOptions {
  signal?: AbortSignal;
}

/**
 * What is evaluated. The evaluation context implements it for OpenAI-compatible endpoints and for
 * recorded outputs; the apps adapt a served pipeline (a registered model version run in process) into it.
 * A failure is an LlmopsError; the runner records it for that example and goes on.
 */
export interface Target {
  readonly description: TargetDescription;
  invoke(example: Example, options?: TargetCallOptions): Promise<TargetOutput>;
  /**
   * Writes what the target recorded beside its answers (each example's trace, queued in batches) so that every
   * `traceId` it returned can be read; the service awaits it before it marks the run finished. Never rejects.
   */
  flush?(): Promise<void>;
}

/** Per-call options of a judge. */
export interface JudgeCallOptions {
  signal?: AbortSignal;
}

/**
 * Answers the judge tasks the metrics are built on (statement extraction, relevance, support,
 * usefulness, contradiction, correctness, harm, refusal). Implementations: the LLM judge (any ChatModel) and the offline heuristic judge.
 */
export interface Judge {
  /** Shown in results and logged with runs, for example `offline-heuristic` or `openai/gpt-4o-mini`. */
  readonly name: string;
  /**
   * Identifies everything that changes the judge's answers (model, prompts, thresholds, version);
   * part of every judge-cache key, so a changed judge never reuses stale answers.
   */
  readonly fingerprint: string;
  /** @throws LlmopsError when the task cannot be answered (the metric records it as an error). */
  judge<K extends JudgeTaskKind>(
    task: Extract<JudgeTask, { kind: K }>,
    options?: JudgeCallOptions,
  ): Promise<JudgeAnswer<K>>;
}

/** A content-addressed store of judge answers: keys are hashes of the judge fingerprint and the task. */
export interface JudgeCache {
  get(key: string): Promise<unknown | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

/** A file stored with a run. */
export interface RunArtifact {
  /** Path relative to the run's artifact root, for example `report.html`. */
  path: string;
  content: string;
  contentType: string;
}

/** Filter of {@link RunTracker.list}. */
export interface RunListFilter {
  /** Only runs of this registered model name. */
  modelName?: string;
  /** Only runs of this model version (with `modelName`). */
  modelVersion?: string;
  /** Only runs with this status. */
  status?: EvaluationRunRecord['status'];
  /** At most this many, newest first; 50 by default. */
  limit?: number;
}

/**
 * Where evaluation runs are tracked: SQLite (embedded default) or MLflow. `start` creates the run
 * (status `running`) and returns its id; `finish` stores the final record, the per-example results
 * and the artifacts; the read methods serve `eval compare`, `eval report`, the API and promotion evidence.
 */
export interface RunTracker {
  /** `sqlite` or `mlflow` (or another adapter's name). */
  readonly kind: string;
  start(run: Omit<EvaluationRunRecord, 'id'>): Promise<string>;
  /** Stores the final record, results and artifacts; returns the record with `artifacts` locations filled in. */
  finish(
    run: EvaluationRunRecord,
    results: readonly ExampleResult[],
    artifacts: readonly RunArtifact[],
  ): Promise<EvaluationRunRecord>;
  /** @throws LlmopsError `not_found` when there is no such run. */
  get(runId: string): Promise<EvaluationRunRecord>;
  /** The per-example results of a finished run. @throws LlmopsError `not_found`. */
  results(runId: string): Promise<ExampleResult[]>;
  /** Runs, newest first. */
  list(filter?: RunListFilter): Promise<EvaluationRunRecord[]>;
  /** Records that a `running` run's process is alive at `at` (ms since the epoch); a run no longer running is left as it is. */
  heartbeat(runId: string, at: number): Promise<void>;
  /**
   * Marks `abandoned` (with `finishedAt` its last heartbeat and an `error` saying so) every `running` run whose
   * heartbeat is stale at `now` (see `isRunStale`); returns their ids.
   */
  abandonStaleRuns(now: number): Promise<string[]>;
}

/**
 * The read side the console needs, answered by the store itself where it can (SQL on SQLite) so that a run of
 * 100,000 examples is never loaded to show one page: runs filtered and paged with their total, a run's examples
 * filtered, sorted and paged, one example, and the histograms of its scores. `TrackerRunQueries` answers it from any
 * {@link RunTracker} in memory (MLflow, tests).
 */
export interface RunQueries {
  /** Runs matching the search, newest first, one page of them and how many match. */
  listRuns(search: RunSearch): Promise<Page<EvaluationRunRecord>>;
  /** @throws LlmopsError `not_found` when there is no such run. */
  examples(runId: string, query: ExampleQuery): Promise<Page<IndexedExample>>;
  /** The example at `index` (0-based, the dataset's order). @throws LlmopsError `not_found` for an unknown run or index. */
  example(runId: string, index: number): Promise<IndexedExample>;
  /** Histograms of every metric the run scored, `bins` bins each. @throws LlmopsError `not_found`. */
  histograms(runId: string, bins: number): Promise<Partial<Record<MetricName, MetricHistogram>>>;
  /** The run's scores in columns, all a comparison reads (no whole results). @throws LlmopsError `not_found`. */
  scores(runId: string): Promise<RunScores>;
}
