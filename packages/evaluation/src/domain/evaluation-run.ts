import type { EvaluationSummary } from './aggregates.js';
import type { GateReport } from './gates.js';
import type { MetricName } from './metric-catalog.js';

/**
 * The states of an evaluation run: `running`; `finished`; `interrupted` (stopped by SIGINT or SIGTERM, its
 * finished examples kept); `failed` (an error ended it); `abandoned` (its process died without a word —
 * SIGKILL, a crash, a lost machine — found by its stale heartbeat, see `isRunStale`).
 */
export type RunStatus = 'running' | 'finished' | 'interrupted' | 'failed' | 'abandoned';

/** What was evaluated: a served model version, an HTTP endpoint or recorded outputs. */
export interface TargetDescription {
  /** `pipeline` (a registered model version served in process), `endpoint`, `recorded`, or another adapter's kind. */
  kind: string;
  /** A display name, for example `support-bot/2` or `http://localhost:11434/v1 llama3`. */
  name: string;
  /** The model reference evaluated (`support-bot@champion`), when there is one. */
  modelRef?: string;
  /** The registered model name and version, when the target is a registered model version. */
  modelName?: string;
  modelVersion?: string;
  /** More facts worth logging as run params (provider, pipeline kind, base URL…); never secrets. */
  params?: Record<string, string>;
}

/** Which dataset a run used: its name, source and content hash (the dataset's version). */
export interface DatasetReference {
  name: string;
  source: string;
  hash: string;
  digest: string;
  examples: number;
}

/** Judge calls of a run: made, answered from the cache, and failed. */
export interface JudgeStatistics {
  calls: number;
  cacheHits: number;
  errors: number;
}

/** An evaluation run as stored by a run tracker (per-example results are stored beside it). */
export interface EvaluationRunRecord {
  /** The id the tracker gave it (an MLflow run id on MLflow). */
  id: string;
  name: string;
  status: RunStatus;
  /** Milliseconds since the epoch. */
  startedAt: number;
  finishedAt?: number;
  target: TargetDescription;
  dataset: DatasetReference;
  /** The judge's name, for example `offline-heuristic` or `openai/gpt-4o-mini`. */
  judge: string;
  metrics: MetricName[];
  summary: EvaluationSummary;
  gates?: GateReport;
  judgeStatistics: JudgeStatistics;
  /** Free-form tags (for example `llmops.purpose=promotion`). */
  tags: Record<string, string>;
  /** Where the artifacts of the run are, by name (`results.jsonl`, `report.html`…). */
  artifacts: Record<string, string>;
  /** Why the run failed (or was abandoned), when it did. */
  error?: string;
  /** While running: when the run last told its store it is alive, in ms since the epoch (its start before that). */
  heartbeatAt?: number;
  /** While running: how often the run's process writes its heartbeat, in ms. */
  heartbeatIntervalMs?: number;
}
