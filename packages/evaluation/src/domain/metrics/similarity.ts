import { cosineSimilarity } from '@llmops/providers';
import type { Metric } from './metric.js';
import { hasExpectedOutput } from './metric-context.js';

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
    const { embedder } = context;
    const texts = [context.answer.output, context.example.expected_output ?? ''];
    const { embeddings } = await embedder.embed(texts, { signal: context.signal });
    const [outputVector = [], expectedVector = []] = embeddings;
    const value = Math.min(1, Math.max(0, cosineSimilarity(outputVector, expectedVector)));
    return { score: value, reason: `cosine similarity ${value.toFixed(3)} (${embedder.provider}/${embedder.modelId})` };
  },
};
