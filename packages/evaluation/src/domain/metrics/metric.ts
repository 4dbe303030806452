import type { ExampleResult } from '../example-result.js';
import type { MetricContext } from './metric-context.js';

/** The unit of a metric's scores. */
export type MetricUnit = 'score' | 'rate' | 'ms' | 'tokens' | 'usd';

/** What is known about a metric: its unit, whether higher is better, whether a judge computes it. */
export interface MetricDescriptor<Name extends string = string> {
  name: Name;
  /** One line saying what the metric measures. */
  description: string;
  unit: MetricUnit;
  higherIsBetter: boolean;
  /** True when the metric asks a judge (a judge failure is then recorded as an error on the metric). */
  judged: boolean;
  /** True when a low score is reported but never fails an example in per-example reports (JUnit). */
  informational?: boolean;
}

/** What a metric found on one example. */
export interface MetricScore {
  /**
   * 0..1 for scores and rates; ms, tokens or USD otherwise. `null` when the score is undefined on this
   * example (the formula divides by zero: no statements, no claims): it is left out of the mean and
   * counted as `undefined` in the aggregate.
   */
  score: number | null;
  /** Why the score is what it is, in one or two sentences. */
  reason: string;
  /** Facts about the example the metric established, kept on the example's result (the harm category). */
  annotations?: Pick<ExampleResult, 'harmCategory'>;
}

/**
 * One metric of llmops evaluations: one file in `domain/metrics/`, listed in the catalog. The scorer
 * calls `appliesTo` on every example and `score` where it applies; a judged metric asks the judge
 * through `context.judge`, so its formula is the same whichever judge answers.
 */
export interface Metric<Name extends string = string> {
  readonly descriptor: MetricDescriptor<Name>;
  /** True when the metric has something to score on this example (otherwise it is left out of the result). */
  appliesTo(context: MetricContext): boolean;
  /** @throws LlmopsError when a judge or embedder cannot answer (the scorer records it for judged metrics). */
  score(context: MetricContext): Promise<MetricScore>;
}
