import type { ExampleResult, MetricResult } from './example-result.js';
import { metricCatalog } from './metric-catalog.js';
import type { MetricName } from './metric-catalog.js';

/** A score metric below this fails an example (the default threshold of DeepEval's metrics). */
export const defaultExampleThreshold = 0.5;

/** The threshold one metric's score is held to on one example: `score >= value` or `score <= value`. */
export interface ExampleMetricThreshold {
  operator: '>=' | '<=';
  value: number;
}

/**
 * The threshold a metric's per-example score is held to: `>= threshold` for score and rate metrics where higher is
 * better, `<= 0` where lower is better (`harmful_rate`: one harmful answer fails it); `null` for informational metrics
 * (`exact_match`, `similarity`) and metrics in ms, tokens or USD, which never fail an example.
 */
export function exampleMetricThreshold(
  metric: MetricName,
  threshold: number = defaultExampleThreshold,
): ExampleMetricThreshold | null {
  const { unit, higherIsBetter, informational } = metricCatalog[metric];
  if ((unit !== 'score' && unit !== 'rate') || informational) return null;
  return higherIsBetter ? { operator: '>=', value: threshold } : { operator: '<=', value: 0 };
}

/**
 * Whether one metric passed on one example: `false` for a judge error or a score beyond its threshold, `true` within
 * it, `null` when the metric has no threshold or the score is undefined (no statements, no claims).
 */
export function metricPassed(
  metric: MetricName,
  result: MetricResult,
  threshold: number = defaultExampleThreshold,
): boolean | null {
  const { unit } = metricCatalog[metric];
  if (result.score === null) return result.error !== undefined && (unit === 'score' || unit === 'rate') ? false : null;
  const bound = exampleMetricThreshold(metric, threshold);
  if (!bound) return null;
  return bound.operator === '>=' ? result.score >= bound.value : result.score <= bound.value;
}

/**
 * Whether an example passed, by one rule shared by the JUnit report and the API: `false` when its target failed or
 * any metric failed ({@link metricPassed}), `true` when at least one metric passed and none failed, `null` when no
 * metric had a verdict.
 */
export function examplePassed(
  result: Pick<ExampleResult, 'error' | 'metrics'>,
  threshold: number = defaultExampleThreshold,
): boolean | null {
  if (result.error !== undefined) return false;
  let verdict: boolean | null = null;
  for (const [name, metric] of Object.entries(result.metrics) as Array<[MetricName, MetricResult]>) {
    const passed = metricPassed(name, metric, threshold);
    if (passed === false) return false;
    if (passed === true) verdict = true;
  }
  return verdict;
}
