import type { MetricComparison } from './run-comparison.js';

/** One dataset's comparison of the champion's run (A) with the challenger's run (B). */
export interface DatasetComparison {
  dataset: string;
  metrics: readonly MetricComparison[];
}

/** A metric on a dataset where the challenger is worse than the champion. */
export interface Worsening {
  dataset: string;
  comparison: MetricComparison;
  /** Whether the metric is one of the gated metrics. */
  gated: boolean;
  /** Whether the 95 % interval of the paired difference excludes 0 (`regressed`), or the drop is within noise. */
  significant: boolean;
}

/** Whether the challenger wins, and the evidence behind the answer. */
export interface ChallengerVerdict {
  /** True when no gated metric regressed on any dataset and at least one gated metric improved on one. */
  wins: boolean;
  /** Gated metrics whose interval shows the challenger better, per dataset. */
  improved: Array<{ dataset: string; comparison: MetricComparison }>;
  /** Every metric (gated or not) where the challenger's mean is lower (or higher, for lower-is-better) than the champion's. */
  worse: Worsening[];
  /** Gated metrics that no dataset measured in both runs. */
  unmeasured: string[];
}

/**
 * Decides whether a challenger beats the champion on the gated metrics: on every dataset, no gated metric may be worse
 * beyond its bootstrap interval (verdict `regressed`), and at least one must be better beyond it (`improved`). A drop
 * within the interval is not a loss, but it is listed in `worse` with every other worsening, gated or not, so that
 * whoever promotes sees where the winner is worse.
 */
export function judgeChallenger(
  datasets: readonly DatasetComparison[],
  gatedMetrics: readonly string[],
): ChallengerVerdict {
  const gated = new Set<string>(gatedMetrics);
  const improved: ChallengerVerdict['improved'] = [];
  const worse: Worsening[] = [];
  const measured = new Set<string>();
  for (const { dataset, metrics } of datasets) {
    for (const comparison of metrics) {
      if (comparison.verdict === 'no_data' || comparison.delta === null) continue;
      const isGated = gated.has(comparison.metric);
      if (isGated) measured.add(comparison.metric);
      if (isGated && comparison.verdict === 'improved') improved.push({ dataset, comparison });
      const lower = comparison.higherIsBetter ? comparison.delta < 0 : comparison.delta > 0;
      if (lower) worse.push({ dataset, comparison, gated: isGated, significant: comparison.verdict === 'regressed' });
    }
  }
  const gatedRegression = worse.some((worsening) => worsening.gated && worsening.significant);
  return {
    wins: !gatedRegression && improved.length > 0,
    improved,
    worse,
    unmeasured: gatedMetrics.filter((metric) => !measured.has(metric)),
  };
}
