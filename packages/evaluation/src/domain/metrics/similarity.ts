import type { Metric } from './metric.js';
import { hasExpectedOutput } from './metric-context.js';
import { embedderLabel, expectedOutputSimilarity } from './expected-output-similarity.js';

/** Cosine similarity of the embeddings of output and expected output; on examples with an `expected_output`. */
export const similarity: Metric<'similarity'> = {
  descriptor: {
    name: 'similarity',
    description: 'cosine similarity of the embeddings of output and expected output, clamped to [0, 1]',
    unit: 'score',
    higherIsBetter: true,
    judged: false,
    informational: true,
  },
  appliesTo: hasExpectedOutput,
  async score(context) {
    const value = await expectedOutputSimilarity(context);
    return { score: value, reason: `cosine similarity ${value.toFixed(3)} (${embedderLabel(context)})` };
  },
};
