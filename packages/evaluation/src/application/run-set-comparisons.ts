import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import { compareRunSet } from '../domain/run-set-comparison.js';
import type { MetricAcrossRuns } from '../domain/run-set-comparison.js';
import type { RunScores } from '../domain/run-scores.js';
import type { RunQueries, RunTracker } from '../ports.js';

/** The runs compared (the baseline first) and their metrics across them. */
export interface RunSetComparison {
  runs: EvaluationRunRecord[];
  metrics: MetricAcrossRuns[];
}

/** How many comparisons of finished runs {@link RunSetComparisons} keeps by default. */
export const comparisonCacheCapacity = 64;

/**
 * The console's comparisons of runs: each run's scores are read in columns from the store's queries (not its whole
 * results) and compared by `compareRunSet`. A comparison of runs that are all `finished` is kept, keyed by their ids in
 * order, and answered again without reading or resampling (a finished run's results no longer change); the least
 * recently used is dropped beyond the capacity. Runs still running, failed or interrupted are compared afresh each time.
 */
export class RunSetComparisons {
  private readonly finished = new Map<string, MetricAcrossRuns[]>();

  constructor(
    private readonly sources: { tracker: RunTracker; queries: RunQueries },
    private readonly capacity = comparisonCacheCapacity,
  ) {}

  /** @throws LlmopsError `not_found` when a run does not exist. */
  async compare(runIds: readonly string[]): Promise<RunSetComparison> {
    const { tracker, queries } = this.sources;
    const runs = await Promise.all(runIds.map((id) => tracker.get(id)));
    const key = runIds.join(',');
    const cacheable = runs.every((run) => run.status === 'finished');
    const kept = cacheable ? this.finished.get(key) : undefined;
    if (kept) {
      this.finished.delete(key);
      this.finished.set(key, kept);
      return { runs, metrics: kept };
    }
    const scores = await Promise.all(runIds.map((id) => queries.scores(id)));
    const metrics = compareRunSet(runs.map((record, position) => ({ record, scores: scores[position] as RunScores })));
    if (cacheable) {
      this.finished.set(key, metrics);
      for (const oldest of this.finished.keys()) {
        if (this.finished.size <= this.capacity) break;
        this.finished.delete(oldest);
      }
    }
    return { runs, metrics };
  }
}
