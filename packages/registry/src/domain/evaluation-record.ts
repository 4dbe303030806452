/** A completed evaluation run of a model version on a dataset: the facts a promotion policy judges. */
export interface EvaluationRecord {
  /** The run's id in the evaluation store (an MLflow run id on MLflow). */
  runId: string;
  dataset: string;
  /** Metric name (`contextual_relevancy.mean`, `latency.p95`, `harmful_rate`…) → value. */
  metrics: Readonly<Record<string, number>>;
  /** Milliseconds since the epoch. */
  completedAt: number;
}
