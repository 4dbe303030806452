import { LlmopsError } from '@llmops/kernel';
import type { EvaluationRunRecord } from '../domain/evaluation-run.js';
import { examplePassed } from '../domain/example-verdict.js';
import type { MetricName } from '../domain/metric-catalog.js';
import { histogramsOf, queryExamples, runMatches } from '../domain/run-browsing.js';
import type { ExampleQuery, IndexedExample, MetricHistogram, Page, RunSearch } from '../domain/run-browsing.js';
import { runScoresOf } from '../domain/run-scores.js';
import type { RunScores } from '../domain/run-scores.js';
import type { RunQueries, RunTracker } from '../ports.js';

/** Runs a search reads from a tracker that cannot filter them itself: the newest this many. */
export const searchedRunsLimit = 1000;

/**
 * The console's queries answered from any {@link RunTracker} in memory: runs are listed (the newest
 * {@link searchedRunsLimit}) and filtered here, a run's results are read whole and filtered, sorted and paged by the
 * domain's `queryExamples`. The store of choice for MLflow, whose results are one artifact per run.
 */
export class TrackerRunQueries implements RunQueries {
  constructor(private readonly tracker: RunTracker) {}

  async listRuns(search: RunSearch): Promise<Page<EvaluationRunRecord>> {
    const runs = await this.tracker.list({
      ...(search.status ? { status: search.status } : {}),
      limit: searchedRunsLimit,
    });
    const matching = runs.filter((run) => runMatches(run, search));
    return { items: matching.slice(search.offset, search.offset + search.limit), total: matching.length };
  }

  async examples(runId: string, query: ExampleQuery): Promise<Page<IndexedExample>> {
    return queryExamples(await this.tracker.results(runId), query);
  }

  async example(runId: string, index: number): Promise<IndexedExample> {
    const result = (await this.tracker.results(runId))[index];
    if (!result) throw new LlmopsError('not_found', `evaluation run ${runId} has no example at index ${index}`);
    return { index, result, passed: examplePassed(result) };
  }

  async histograms(runId: string, bins: number): Promise<Partial<Record<MetricName, MetricHistogram>>> {
    return histogramsOf(await this.tracker.results(runId), bins);
  }

  async scores(runId: string): Promise<RunScores> {
    return runScoresOf(await this.tracker.results(runId));
  }
}
