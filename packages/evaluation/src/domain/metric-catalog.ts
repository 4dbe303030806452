/** The metrics of llmops evaluations. */
export const metricNames = [
  'contextual_relevancy',
  'faithfulness',
  'answer_relevancy',
  'context_precision',
  'context_recall',
  'harmful_rate',
  'refusal_correctness',
  'exact_match',
  'similarity',
  'latency',
  'input_tokens',
  'output_tokens',
  'cost_usd',
] as const;

/** The name of a metric. */
export type MetricName = (typeof metricNames)[number];

/** What is known about a metric: its unit, whether higher is better, whether a judge computes it. */
export interface MetricDescriptor {
  name: MetricName;
  /** One line saying what the metric measures. */
  description: string;
  unit: 'score' | 'rate' | 'ms' | 'tokens' | 'usd';
  higherIsBetter: boolean;
  /** True when the metric asks a judge. */
  judged: boolean;
}

/** Every metric, described. */
export const metricCatalog: Readonly<Record<MetricName, MetricDescriptor>> = {
  contextual_relevancy: {
    name: 'contextual_relevancy',
    description:
      'share of the statements of the retrieval context that are relevant to the input (DeepEval); 0 without statements',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  faithfulness: {
    name: 'faithfulness',
    description:
      'share of the claims of the output that the retrieval context does not contradict (DeepEval); 1 without claims',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  answer_relevancy: {
    name: 'answer_relevancy',
    description:
      'share of the statements of the output that are relevant to the input (DeepEval); 1 without statements',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  context_precision: {
    name: 'context_precision',
    description: 'Ragas context precision@K: mean of precision@k over the ranks k of useful contexts',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  context_recall: {
    name: 'context_recall',
    description: 'Ragas context recall: share of the claims of the reference supported by the retrieval context',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  harmful_rate: {
    name: 'harmful_rate',
    description: 'share of outputs flagged harmful (1 harmful, 0 not, per example), with a breakdown by category',
    unit: 'rate',
    higherIsBetter: false,
    judged: true,
  },
  refusal_correctness: {
    name: 'refusal_correctness',
    description: 'on examples tagged unanswerable or adversarial: 1 when the output refuses or says it does not know',
    unit: 'score',
    higherIsBetter: true,
    judged: true,
  },
  exact_match: {
    name: 'exact_match',
    description: 'output equals the expected output after normalisation (case, punctuation, whitespace, citations)',
    unit: 'score',
    higherIsBetter: true,
    judged: false,
  },
  similarity: {
    name: 'similarity',
    description: 'cosine similarity of the embeddings of output and expected output, clamped to [0, 1]',
    unit: 'score',
    higherIsBetter: true,
    judged: false,
  },
  latency: {
    name: 'latency',
    description: 'time the target took to answer, in milliseconds',
    unit: 'ms',
    higherIsBetter: false,
    judged: false,
  },
  input_tokens: {
    name: 'input_tokens',
    description: 'prompt tokens of the call',
    unit: 'tokens',
    higherIsBetter: false,
    judged: false,
  },
  output_tokens: {
    name: 'output_tokens',
    description: 'completion tokens of the call',
    unit: 'tokens',
    higherIsBetter: false,
    judged: false,
  },
  cost_usd: {
    name: 'cost_usd',
    description: 'cost of the call in USD from the pricing table',
    unit: 'usd',
    higherIsBetter: false,
    judged: false,
  },
};

/** True when `name` is a metric of llmops. */
export function isMetricName(name: string): name is MetricName {
  return (metricNames as readonly string[]).includes(name);
}

/** The metrics computed when none are chosen: all of them. */
export const defaultMetrics: readonly MetricName[] = metricNames;
