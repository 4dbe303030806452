import { z } from 'zod';
import { LlmopsError } from '@llmops/kernel';
import { answerCorrectness } from './metrics/answer-correctness.js';
import { answerRate } from './metrics/answer-rate.js';
import { answerRelevancy } from './metrics/answer-relevancy.js';
import { contextPrecision } from './metrics/context-precision.js';
import { contextRecall } from './metrics/context-recall.js';
import { contextualRelevancy } from './metrics/contextual-relevancy.js';
import { costUsd } from './metrics/cost-usd.js';
import { exactMatch } from './metrics/exact-match.js';
import { faithfulness } from './metrics/faithfulness.js';
import { hallucination } from './metrics/hallucination.js';
import { harmfulRate } from './metrics/harmful-rate.js';
import { hitRateAt1 } from './metrics/hit-rate-at-1.js';
import { hitRateAt5 } from './metrics/hit-rate-at-5.js';
import { inputTokens } from './metrics/input-tokens.js';
import { latency } from './metrics/latency.js';
import type { MetricDescriptor } from './metrics/metric.js';
import { mrr } from './metrics/mrr.js';
import { ndcgAtK } from './metrics/ndcg-at-k.js';
import { outputTokens } from './metrics/output-tokens.js';
import { recallAtK } from './metrics/recall-at-k.js';
import { refusalCorrectness } from './metrics/refusal-correctness.js';
import { similarity } from './metrics/similarity.js';

/**
 * The metrics of llmops evaluations, in the order results and reports show them. This list is the
 * only place a metric is registered: names, descriptors, gates, reports and MLflow keys derive from it.
 */
export const metricList = [
  contextualRelevancy,
  faithfulness,
  hallucination,
  answerRelevancy,
  contextPrecision,
  contextRecall,
  hitRateAt1,
  hitRateAt5,
  recallAtK,
  mrr,
  ndcgAtK,
  answerCorrectness,
  answerRate,
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

/** A metric name followed by `:strict` chooses DeepEval's strict mode for that metric. */
export const strictSuffix = ':strict';

/** Metrics chosen by name, and those of them scored in strict mode. */
export interface MetricChoice {
  metrics: MetricName[];
  strict: MetricName[];
}

/**
 * Reads a choice of metrics written as names, each optionally followed by `:strict`
 * (`['faithfulness:strict', 'latency']`): DeepEval's strict mode scores 1 (0 for lower-is-better
 * metrics) only when the metric reaches it, else the worst value.
 * @throws LlmopsError `invalid_input` naming an unknown metric or an unknown option.
 */
export function parseMetricChoice(specs: readonly string[]): MetricChoice {
  const choice: MetricChoice = { metrics: [], strict: [] };
  for (const spec of specs) {
    const [name = '', option, ...rest] = spec.trim().split(':');
    if (!isMetricName(name))
      throw new LlmopsError(
        'invalid_input',
        `metric "${spec}": unknown metric "${name}"; known metrics: ${metricNames.join(', ')}`,
      );
    if (rest.length > 0 || (option !== undefined && option !== 'strict'))
      throw new LlmopsError(
        'invalid_input',
        `metric "${spec}": unknown option; expected "${name}" or "${name}${strictSuffix}"`,
      );
    if (!choice.metrics.includes(name)) choice.metrics.push(name);
    if (option === 'strict' && !choice.strict.includes(name)) choice.strict.push(name);
  }
  return choice;
}

/** A metric choice as configuration and request bodies write it: a metric name, optionally `:strict`. */
export const metricChoiceSchema = z.string().refine(
  (spec) => {
    try {
      parseMetricChoice([spec]);
      return true;
    } catch {
      return false;
    }
  },
  { error: `expected a metric name, optionally followed by ${strictSuffix} (${metricNames.join(', ')})` },
);
