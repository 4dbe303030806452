import type { ExampleResult } from './example-result.js';
import { metricCatalog, metricNames } from './metric-catalog.js';
import type { MetricName } from './metric-catalog.js';

/** A low-scoring (or failed) example of one metric, for reports. */
export interface WorstExample {
  exampleId: string;
  metric: MetricName;
  /** `null` for a judge error. */
  score: number | null;
  reason: string;
  input: string;
  output: string;
}

/**
 * The worst examples of the score metrics: judge errors first, then the lowest scores (highest for
 * `harmful_rate`), at most `perMetric` per metric, leaving out perfect and undefined scores.
 */
export function worstExamples(results: readonly ExampleResult[], perMetric = 5): WorstExample[] {
  const worst: WorstExample[] = [];
  for (const metric of metricNames) {
    const { unit, higherIsBetter } = metricCatalog[metric];
    if (unit !== 'score' && unit !== 'rate') continue;
    const candidates = results
      .flatMap((result) => {
        const value = result.metrics[metric];
        if (!value || (value.score === null && value.error === undefined)) return [];
        const badness = value.score === null ? 2 : higherIsBetter ? 1 - value.score : value.score;
        if (badness <= 0) return [];
        return [
          {
            badness,
            item: {
              exampleId: result.exampleId,
              metric,
              score: value.score,
              reason: value.error ?? value.reason,
              input: result.input,
              output: result.output,
            },
          },
        ];
      })
      .sort((left, right) => right.badness - left.badness || left.item.exampleId.localeCompare(right.item.exampleId))
      .slice(0, perMetric)
      .map((candidate) => candidate.item);
    worst.push(...candidates);
  }
  return worst;
}

/** The examples where the target failed, with the error. */
export function failedExamples(results: readonly ExampleResult[]): Array<{ exampleId: string; error: string }> {
  return results.flatMap((result) =>
    result.error === undefined ? [] : [{ exampleId: result.exampleId, error: result.error }],
  );
}
