import { z } from 'zod';
import type { ServedEmbeddingResponse } from './served-embedding-request.js';
import type { ResponseShape } from './serving-step.js';

/**
 * An embeddings answer as the response cache keeps it: the vectors (floats, in the order of the texts), the usage and
 * cost when they were computed, and the embedder. Read back from a shared store, so parsed: a value this llmops
 * cannot read is a miss, never an error.
 */
export const cachedEmbeddingSchema = z.looseObject({
  format: z.literal(1),
  kind: z.literal('embeddings'),
  vectors: z.array(z.array(z.number())),
  usage: z.object({ prompt_tokens: z.number(), total_tokens: z.number() }),
  embedder: z.string(),
  /** USD the call cost when it was made (what each hit saves); `null` when the embedder has no price. */
  costUsd: z.number().nullable(),
  /** When it was stored, ms since the epoch. */
  storedAt: z.number(),
});

/** An embeddings answer as the cache keeps it. */
export type CachedEmbedding = z.infer<typeof cachedEmbeddingSchema>;

/** A cached value as an embeddings answer, or `undefined` when it is not one (a chat answer, a corrupt entry). */
export function readCachedEmbedding(value: string): CachedEmbedding | undefined {
  try {
    const parsed = cachedEmbeddingSchema.safeParse(JSON.parse(value));
    return parsed.success ? (parsed.data as CachedEmbedding) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The embeddings answer to be cached, or `undefined` when its vectors are not floats (the chain's answers are: the
 * service encodes base64 after the chain).
 */
export function cachedEmbeddingOf(
  response: ServedEmbeddingResponse,
  facts: { storedAt: number },
): CachedEmbedding | undefined {
  const vectors: number[][] = [];
  for (const item of response.data) {
    if (typeof item.embedding === 'string') return undefined;
    vectors[item.index] = item.embedding;
  }
  return {
    format: 1,
    kind: 'embeddings',
    vectors,
    usage: response.usage,
    embedder: response.llmops.embedder,
    costUsd: response.llmops.cost_usd,
    storedAt: facts.storedAt,
  };
}

/**
 * A cached embeddings answer served again: the stored vectors and usage (the size of the input, as a hit of a chat
 * answer returns its stored usage), no cost spent (`0`, or `null` for an unpriced embedder).
 */
export function embeddingOfCached(cached: CachedEmbedding, shape: ResponseShape): ServedEmbeddingResponse {
  return {
    object: 'list',
    data: cached.vectors.map((vector, index) => ({ object: 'embedding', index, embedding: vector })),
    model: shape.model,
    usage: cached.usage,
    llmops: { embedder: cached.embedder, cost_usd: cached.costUsd === null ? null : 0 },
  };
}
