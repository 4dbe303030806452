import type { EvaluationRunRecord } from './evaluation-run.js';
import type { ExampleResult, MetricResult } from './example-result.js';
import type { GateCriterion } from './gates.js';
import { isMetricName, metricCatalog } from './metric-catalog.js';
import type { MetricName } from './metric-catalog.js';

/** A score metric below this fails an example when no gate says otherwise (the default threshold of DeepEval's metrics). */
export const defaultExampleThreshold = 0.5;

/** The threshold one metric's score is held to on one example: `score >= value`, `score <= value`, `>` or `<`. */
export interface ExampleMetricThreshold {
  operator: '>=' | '<=' | '>' | '<';
  value: number;
}

/**
 * The thresholds a run's examples are held to: the gate's, metric by metric, and for every other metric the default
 * rule at `fallback` ({@link exampleMetricThreshold}).
 */
export interface ExampleThresholds {
  byMetric: Partial<Record<MetricName, ExampleMetricThreshold>>;
  fallback: number;
}

/** What {@link metricPassed} and {@link examplePassed} are told: a run's thresholds, or the default rule's value. */
export type ExampleRule = ExampleThresholds | number;

/**
 * The per-example thresholds a gate implies: a criterion on a metric (`faithfulness.mean >= 0.7`, `latency.p95 <= 2000`,
 * `harmful_rate <= 0`) holds each example's score to the same operator and value (`faithfulness >= 0.7`, `latency <=
 * 2000` ms); `==` holds it on the metric's good side (`>=` where higher is better, else `<=`); `!=` and criteria on the
 * run itself (`error_rate`) imply none. When a gate has several criteria on one metric, the one on `mean` wins, else
 * the first. Metrics the gate does not name keep the default rule at `fallback`.
 */
export function exampleThresholdsOfGate(
  criteria: readonly GateCriterion[] | undefined,
  fallback: number = defaultExampleThreshold,
): ExampleThresholds {
  const byMetric: Partial<Record<MetricName, ExampleMetricThreshold>> = {};
  const fromMean = new Set<MetricName>();
  for (const criterion of criteria ?? []) {
    const metric = criterion.metric;
    if (!isMetricName(metric) || criterion.operator === '!=') continue;
    if (byMetric[metric] && (fromMean.has(metric) || criterion.statistic !== 'mean')) continue;
    const operator =
      criterion.operator === '==' ? (metricCatalog[metric].higherIsBetter ? '>=' : '<=') : criterion.operator;
    byMetric[metric] = { operator, value: criterion.threshold };
    if (criterion.statistic === 'mean') fromMean.add(metric);
  }
  return { byMetric, fallback };
}

/**
 * The per-example thresholds of a run: its gate's ({@link exampleThresholdsOfGate}), the default rule for the metrics
 * the gate does not name, and the default rule alone for a run without a gate.
 */
export function exampleThresholdsOfRun(record: Pick<EvaluationRunRecord, 'gates'>): ExampleThresholds {
  return exampleThresholdsOfGate(record.gates?.verdicts);
}

/**
 * The threshold a metric's per-example score is held to: the run's gate's when it names the metric; else the default
 * rule: `>= fallback` for score and rate metrics where higher is better, `<= 0` where lower is better (`harmful_rate`:
 * one harmful answer fails it), `null` for informational metrics (`exact_match`, `similarity`) and metrics in ms,
 * tokens or USD, which never fail an example unless a gate names them.
 */
export function exampleMetricThreshold(
  metric: MetricName,
  rule: ExampleRule = defaultExampleThreshold,
): ExampleMetricThreshold | null {
  const thresholds = typeof rule === 'number' ? { byMetric: {}, fallback: rule } : rule;
  const fromGate = thresholds.byMetric[metric];
  if (fromGate) return fromGate;
  const { unit, higherIsBetter, informational } = metricCatalog[metric];
  if ((unit !== 'score' && unit !== 'rate') || informational) return null;
  return higherIsBetter ? { operator: '>=', value: thresholds.fallback } : { operator: '<=', value: 0 };
}

function holds(score: number, bound: ExampleMetricThreshold): boolean {
  switch (bound.operator) {
    case '>=':
      return score >= bound.value;
    case '<=':
      return score <= bound.value;
    case '>':
      return score > bound.value;
    case '<':
      return score < bound.value;
  }
}

/**
 * Whether one metric passed on one example: `false` for a judge error or a score beyond its threshold, `true` within
 * it, `null` when the metric has no threshold or the score is undefined (no statements, no claims).
 */
export function metricPassed(
  metric: MetricName,
  result: MetricResult,
  rule: ExampleRule = defaultExampleThreshold,
): boolean | null {
  const { unit } = metricCatalog[metric];
  if (result.score === null) return result.error !== undefined && (unit === 'score' || unit === 'rate') ? false : null;
  const bound = exampleMetricThreshold(metric, rule);
  return bound ? holds(result.score, bound) : null;
}

/**
 * Whether an example passed, by one rule shared by the JUnit report, the API's example lists and the comparison grid:
 * `false` when its target failed or any metric failed ({@link metricPassed}), `true` when at least one metric passed
 * and none failed, `null` when no metric had a verdict.
 */
export function examplePassed(
  result: Pick<ExampleResult, 'error' | 'metrics'>,
  rule: ExampleRule = defaultExampleThreshold,
): boolean | null {
  if (result.error !== undefined) return false;
  let verdict: boolean | null = null;
  for (const [name, metric] of Object.entries(result.metrics) as Array<[MetricName, MetricResult]>) {
    const passed = metricPassed(name, metric, rule);
    if (passed === false) return false;
    if (passed === true) verdict = true;
  }
  return verdict;
}
