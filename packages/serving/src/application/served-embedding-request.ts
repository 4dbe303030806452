import type { ServedFallback } from './pipeline.js';
import { z } from 'zod';

/** Most texts one embeddings request may carry (OpenAI's limit). */
export const maxEmbeddingInputs = 2048;

/**
 * The body of `POST /v1/embeddings` as llmops serves it: OpenAI's request, where `model` is a
 * registry reference whose version has an embedder (`pipeline.embedder`) or a provider spec
 * (`offline/lexical`, `openai/text-embedding-3-small`). Token arrays are parsed so that they can be
 * refused with a clear message. Unknown top-level fields pass, as OpenAI adds fields often.
 */
export const servedEmbeddingRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([
    z.string(),
    z.array(z.string()).min(1).max(maxEmbeddingInputs),
    z.array(z.number().int()).min(1),
    z.array(z.array(z.number().int()).min(1)).min(1).max(maxEmbeddingInputs),
  ]),
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).optional(),
  user: z.string().optional(),
});
/** A parsed served embeddings request. */
export type ServedEmbeddingRequest = z.infer<typeof servedEmbeddingRequestSchema>;

/** One embedding of an embeddings answer: floats, or their little-endian float32 bytes in base64. */
export interface EmbeddingItem {
  object: 'embedding';
  index: number;
  embedding: number[] | string;
}

/** OpenAI's embeddings answer, with llmops' extension naming the embedder. */
export interface ServedEmbeddingResponse {
  object: 'list';
  data: EmbeddingItem[];
  /** `name/version` for a registry reference, the provider spec otherwise. */
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
  llmops: {
    /** The provider spec that embedded (`offline/lexical`). */
    embedder: string;
    /** USD, or `null` when the embedder has no price. */
    cost_usd: number | null;
    /** Set when a fallback answered: the version asked for, the one that answered, and why. */
    fallback?: ServedFallback;
  };
}

/** A vector as OpenAI's `encoding_format: base64` sends it: its float32 values, little-endian, in base64. */
export function encodeEmbeddingBase64(vector: readonly number[]): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}
