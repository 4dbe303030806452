import { cosineSimilarity } from '@llmops/providers';
import type { MetricContext } from './metric-context.js';

/**
 * The cosine similarity of the embeddings of the output and the expected output, clamped to [0, 1],
 * computed once per example (`similarity` and `answer_correctness` share it).
 * @throws LlmopsError when the embedder fails.
 */
export function expectedOutputSimilarity(context: MetricContext): Promise<number> {
  return context.memo('expected-output-similarity', async () => {
    const texts = [context.answer.output, context.example.expected_output ?? ''];
    const { embeddings } = await context.embedder.embed(texts, { signal: context.signal });
    const [outputVector = [], expectedVector = []] = embeddings;
    return Math.min(1, Math.max(0, cosineSimilarity(outputVector, expectedVector)));
  });
}

/** Names the embedder that computed {@link expectedOutputSimilarity}, for reasons. */
export function embedderLabel(context: MetricContext): string {
  return `${context.embedder.provider}/${context.embedder.modelId}`;
}
