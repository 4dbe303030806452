import type { ExampleResult } from './example-result.js';
import { metricCatalog, metricNames } from './metric-catalog.js';
import type { MetricName } from './metric-catalog.js';
import { pairScores, runScoresOf, scoredValues } from './run-scores.js';
import { bootstrapMeanInterval, mean } from './statistics.js';
import type { BootstrapOptions, ConfidenceInterval } from './statistics.js';

/** How one metric changed from run A (baseline) to run B (candidate). */
export interface MetricComparison {
  metric: MetricName;
  higherIsBetter: boolean;
  /** Mean over the examples scored in A, and in B. */
  meanA: number | null;
  meanB: number | null;
  /** Examples scored in both runs (the pairs the delta is computed on). */
  pairs: number;
  /** Mean of B − A over the pairs. */
  delta: number | null;
  /** Percentile bootstrap confidence interval of the mean paired delta. */
  interval: ConfidenceInterval | null;
  /** `improved` / `regressed` when the interval excludes 0, `unchanged` otherwise. */
  verdict: ComparisonVerdict;
}

/** What a change of a metric from a baseline amounts to: see {@link comparisonVerdict}. */
export type ComparisonVerdict = 'improved' | 'regressed' | 'unchanged' | 'no_data';

/**
 * The verdict on a change B − A from its confidence interval and the metric's direction: `improved` when the interval
 * lies wholly on the metric's better side of 0, `regressed` when wholly on its worse side, `unchanged` when it holds 0
 * (within noise), `no_data` without an interval. `llmops eval compare`, the compare job and the console's comparison
 * all judge a change by this one rule.
 */
export function comparisonVerdict(
  interval: Pick<ConfidenceInterval, 'low' | 'high'> | null,
  higherIsBetter: boolean,
): ComparisonVerdict {
  if (!interval) return 'no_data';
  const better = higherIsBetter ? interval.low > 0 : interval.high < 0;
  const worse = higherIsBetter ? interval.high < 0 : interval.low > 0;
  return better ? 'improved' : worse ? 'regressed' : 'unchanged';
}

/** An example whose score got worse from A to B. */
export interface RegressedExample {
  exampleId: string;
  metric: MetricName;
  scoreA: number;
  scoreB: number;
  /** How much worse, always positive (in the metric's unit). */
  drop: number;
  input: string;
  reasonB: string;
}

/** The comparison of two runs. */
export interface RunComparison {
  metrics: MetricComparison[];
  regressions: RegressedExample[];
}

/** Options of {@link compareResults}. */
export interface CompareOptions extends BootstrapOptions {
  /** A per-example score must get worse by more than this to count as a regression; 0.1 by default. */
  minimumDrop?: number;
  /** At most this many regressed examples are listed (worst first); 50 by default. */
  maxRegressions?: number;
}

/**
 * Compares two runs metric by metric: the mean of each, the mean paired difference B − A over the
 * examples both scored with its bootstrap confidence interval, and the examples of score metrics
 * (not latency, tokens or cost, whose per-example noise is large) that got worse by more than `minimumDrop`.
 */
export function compareResults(
  runA: readonly ExampleResult[],
  runB: readonly ExampleResult[],
  options: CompareOptions = {},
): RunComparison {
  const scoresOfA = runScoresOf(runA);
  const scoresOfB = runScoresOf(runB);
  const minimumDrop = options.minimumDrop ?? 0.1;
  const comparisons: MetricComparison[] = [];
  const regressions: RegressedExample[] = [];
  for (const metric of metricNames) {
    const { higherIsBetter, unit } = metricCatalog[metric];
    const scoresA = scoredValues(scoresOfA, metric);
    const scoresB = scoredValues(scoresOfB, metric);
    if (scoresA.length === 0 && scoresB.length === 0) continue;
    const { differences, positionsA, positionsB } = pairScores(scoresOfA, scoresOfB, metric);
    if (unit === 'score' || unit === 'rate') {
      differences.forEach((difference, pair) => {
        const drop = higherIsBetter ? -difference : difference;
        if (!(drop > minimumDrop)) return;
        const resultB = runB[positionsB[pair] as number] as ExampleResult;
        regressions.push({
          exampleId: resultB.exampleId,
          metric,
          scoreA: (scoresOfA.scores[metric] as Float64Array)[positionsA[pair] as number] as number,
          scoreB: (scoresOfB.scores[metric] as Float64Array)[positionsB[pair] as number] as number,
          drop,
          input: resultB.input,
          reasonB: resultB.metrics[metric]?.reason ?? '',
        });
      });
    }
    const interval = bootstrapMeanInterval(differences, options);
    const delta = mean(differences);
    const verdict = comparisonVerdict(interval, higherIsBetter);
    comparisons.push({
      metric,
      higherIsBetter,
      meanA: mean(scoresA),
      meanB: mean(scoresB),
      pairs: differences.length,
      delta,
      interval,
      verdict,
    });
  }
  regressions.sort((left, right) => right.drop - left.drop || left.exampleId.localeCompare(right.exampleId));
  return { metrics: comparisons, regressions: regressions.slice(0, options.maxRegressions ?? 50) };
}
