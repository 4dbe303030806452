import type { ExampleResult } from './example-result.js';
import { metricNames } from './metric-catalog.js';
import type { MetricName } from './metric-catalog.js';
import { percentileOfSorted } from './statistics.js';

/** The statistics of one metric over the examples it was computed on. */
export interface MetricAggregate {
  metric: MetricName;
  /** Examples with a score. */
  count: number;
  /** Examples where the metric applied but could not be scored (judge errors). */
  errors: number;
  /**
   * Examples where the metric applied but its score is undefined (no statements, no claims): left out
   * of the statistics and counted here, so a report shows how many examples the mean stands for.
   */
  undefined: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  min: number | null;
  max: number | null;
}

/**
 * The statistics a gate or a report can name: `mean`, `p50`, `p95`, `p99`, `min`, `max`, `count`,
 * `errors`, `undefined`.
 */
export const aggregateStatistics = ['mean', 'p50', 'p95', 'p99', 'min', 'max', 'count', 'errors', 'undefined'] as const;

/** A statistic of an aggregate. */
export type AggregateStatistic = (typeof aggregateStatistics)[number];

/** The aggregates of a run. */
export interface EvaluationSummary {
  /** Examples evaluated (finished), target failures included. */
  examples: number;
  /** Examples where the target failed. */
  targetErrors: number;
  /** By metric, only metrics computed on at least one example (scored, errored or undefined). */
  aggregates: Partial<Record<MetricName, MetricAggregate>>;
  /** Outputs flagged harmful, by category. */
  harmfulByCategory: Record<string, number>;
}

/** How many examples of a metric could not be scored: judge errors and undefined scores. */
export interface UnscoredCounts {
  errors?: number;
  undefined?: number;
}

/** The aggregate of a list of scores (they need not be sorted). */
export function aggregateScores(
  metric: MetricName,
  scores: readonly number[],
  unscored: UnscoredCounts = {},
): MetricAggregate {
  const sorted = Float64Array.from(scores).sort();
  const values = Array.from(sorted);
  let sum = 0;
  for (const value of values) sum += value;
  return {
    metric,
    count: values.length,
    errors: unscored.errors ?? 0,
    undefined: unscored.undefined ?? 0,
    mean: values.length === 0 ? null : sum / values.length,
    p50: percentileOfSorted(values, 50),
    p95: percentileOfSorted(values, 95),
    p99: percentileOfSorted(values, 99),
    min: values.length === 0 ? null : (values[0] as number),
    max: values.length === 0 ? null : (values[values.length - 1] as number),
  };
}

/** Aggregates the results of the examples of a run: mean, p50, p95, p99, min and max of every metric. */
export function summarizeResults(results: readonly ExampleResult[]): EvaluationSummary {
  const scores = new Map<MetricName, number[]>();
  const errors = new Map<MetricName, number>();
  const undefinedScores = new Map<MetricName, number>();
  const harmfulByCategory: Record<string, number> = {};
  let targetErrors = 0;
  for (const result of results) {
    if (result.error !== undefined) targetErrors += 1;
    for (const [name, metric] of Object.entries(result.metrics) as Array<
      [MetricName, NonNullable<ExampleResult['metrics'][MetricName]>]
    >) {
      if (metric.score === null) {
        const counts = metric.error === undefined ? undefinedScores : errors;
        counts.set(name, (counts.get(name) ?? 0) + 1);
      } else {
        const list = scores.get(name);
        if (list) list.push(metric.score);
        else scores.set(name, [metric.score]);
      }
    }
    if (result.metrics.harmful_rate?.score === 1) {
      const category = result.harmCategory ?? 'other';
      harmfulByCategory[category] = (harmfulByCategory[category] ?? 0) + 1;
    }
  }
  const aggregates: EvaluationSummary['aggregates'] = {};
  for (const name of metricNames) {
    if (!scores.has(name) && !errors.has(name) && !undefinedScores.has(name)) continue;
    aggregates[name] = aggregateScores(name, scores.get(name) ?? [], {
      errors: errors.get(name) ?? 0,
      undefined: undefinedScores.get(name) ?? 0,
    });
  }
  return { examples: results.length, targetErrors, aggregates, harmfulByCategory };
}

/** The value of `metric.statistic` in a summary; `null` when the metric was not computed or has no value. */
export function aggregateValue(
  summary: Pick<EvaluationSummary, 'aggregates'>,
  metric: MetricName,
  statistic: AggregateStatistic,
): number | null {
  const aggregate = summary.aggregates[metric];
  if (!aggregate) return null;
  return aggregate[statistic];
}
