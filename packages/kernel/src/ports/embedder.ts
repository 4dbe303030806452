import type { CallOptions } from './chat-model.js';

/** The result of embedding texts: one vector per text, in order. */
export interface EmbeddingResult {
  embeddings: number[][];
  usage: { prompt_tokens: number; total_tokens: number };
}

/** The port of text embedders (OpenAI-compatible endpoints, the offline lexical embedder). */
export interface Embedder {
  readonly provider: string;
  readonly modelId: string;
  /** Embeds each text; vectors of one embedder all have the same length. */
  embed(texts: readonly string[], options?: CallOptions): Promise<EmbeddingResult>;
}
