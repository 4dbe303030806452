import { answerRelevancy } from './metrics/answer-relevancy.js';
import { contextPrecision } from './metrics/context-precision.js';
import { contextRecall } from './metrics/context-recall.js';
import { contextualRelevancy } from './metrics/contextual-relevancy.js';
import { costUsd } from './metrics/cost-usd.js';
import { exactMatch } from './metrics/exact-match.js';
import { faithfulness } from './metrics/faithfulness.js';
import { harmfulRate } from './metrics/harmful-rate.js';
import { inputTokens } from './metrics/input-tokens.js';
import { latency } from './metrics/latency.js';
import type { MetricDescriptor } from './metrics/metric.js';
import { outputTokens } from './metrics/output-tokens.js';
import { refusalCorrectness } from './metrics/refusal-correctness.js';
import { similarity } from './metrics/similarity.js';

/**
 * The metrics of llmops evaluations, in the order results and reports show them. This list is the
 * only place a metric is registered: names, descriptors, gates, reports and MLflow keys derive from it.
 */
export const metricList = [
  contextualRelevancy,
  faithfulness,
  answerRelevancy,
  contextPrecision,
  contextRecall,
  harmfulRate,
  refusalCorrectness,
  exactMatch,
  similarity,
  latency,
  inputTokens,
  outputTokens,
  costUsd,
] as const;

/** The name of a metric. */
export type MetricName = (typeof metricList)[number]['descriptor']['name'];

/** The names of the metrics, in list order. */
export const metricNames: readonly MetricName[] = metricList.map((metric) => metric.descriptor.name);

/** Every metric, described. */
export const metricCatalog: Readonly<Record<MetricName, MetricDescriptor<MetricName>>> = Object.fromEntries(
  metricList.map((metric) => [metric.descriptor.name, metric.descriptor]),
) as Record<MetricName, MetricDescriptor<MetricName>>;

/** True when `name` is a metric of llmops. */
export function isMetricName(name: string): name is MetricName {
  return (metricNames as readonly string[]).includes(name);
}

/** The metrics computed when none are chosen: all of them. */
export const defaultMetrics: readonly MetricName[] = metricNames;
