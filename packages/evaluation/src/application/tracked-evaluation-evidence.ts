import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import { dottedMetrics } from '../domain/metric-keys.js';
import type { RunTracker } from '../ports.js';

/** Which evaluation promotion asks for: a model version on a dataset. */
export interface EvidenceRequest {
  model: string;
  version: number;
  /** A dataset name (`support-qa`), content hash, digest or source path. */
  dataset: string;
}

/** The evidence of one finished run, in the shape promotion policies judge. */
export interface EvaluationEvidenceRecord {
  runId: string;
  /** The dataset's name. */
  dataset: string;
  /** `contextual_relevancy.mean`, `latency.p95`, `harmful_rate` (the mean)… → value. */
  metrics: Record<string, number>;
  /** Milliseconds since the epoch. */
  completedAt: number;
}

function datasetMatches(record: EvaluationRunRecord, wanted: string): boolean {
  const { dataset } = record;
  const file = dataset.source.split(/[\\/]/).pop() ?? dataset.source;
  return [dataset.name, dataset.hash, dataset.digest, dataset.source, file].includes(wanted);
}

/**
 * The registry's `EvaluationEvidence` port, implemented on tracked runs: the latest *finished* run
 * (not interrupted, not failed) of a model version on a dataset, with its metrics in dotted form.
 * It matches the port structurally; the apps pass it to the registry (contexts never import each other).
 */
export class TrackedEvaluationEvidence {
  constructor(private readonly tracker: RunTracker) {}

  async latestEvaluation(query: EvidenceRequest): Promise<EvaluationEvidenceRecord | undefined> {
    const runs = await this.tracker.list({
      modelName: query.model,
      modelVersion: String(query.version),
      status: 'finished',
      limit: 200,
    });
    const run = runs
      .filter((record) => datasetMatches(record, query.dataset))
      .sort((left, right) => (right.finishedAt ?? 0) - (left.finishedAt ?? 0))[0];
    if (!run) return undefined;
    return {
      runId: run.id,
      dataset: run.dataset.name,
      metrics: dottedMetrics(run.summary),
      completedAt: run.finishedAt ?? run.startedAt,
    };
  }
}
