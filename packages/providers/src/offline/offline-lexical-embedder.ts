import { LlmopsError } from '@llmops/kernel';
import type { CallOptions, Embedder, EmbeddingResult } from '@llmops/kernel';
import { fnv1a32 } from '../lexical/feature-hash.js';
import { analyzeText } from '../lexical/text-analysis.js';
import { countTokens } from '../tokens/token-counter.js';

/** Settings of {@link OfflineLexicalEmbedder}. */
export interface OfflineLexicalEmbedderOptions {
  /** Length of every vector; 256 by default. */
  dimensions?: number;
  /** Weight of word pairs (adjacent terms) relative to single terms; 0.5 by default, 0 to turn them off. */
  bigramWeight?: number;
}

/** The default vector length of {@link OfflineLexicalEmbedder}. */
export const defaultLexicalDimensions = 256;

/**
 * The zero-key embedder (`offline/lexical`): deterministic **lexical** vectors, not semantic ones.
 * Each text's terms (stopwords out, light stemming) and adjacent term pairs are hashed into
 * `dimensions` signed buckets (the hashing trick), weighted sublinearly (`1 + ln(tf)`, no IDF, so a
 * vector depends on its text alone) and L2-normalised, so {@link cosineSimilarity} is a dot product.
 * Texts sharing words score high; synonyms and paraphrases with no shared word score about 0.
 */
export class OfflineLexicalEmbedder implements Embedder {
  readonly provider = 'offline';
  readonly modelId = 'lexical';
  /** The length of every vector this embedder returns. */
  readonly dimensions: number;
  private readonly bigramWeight: number;

  /** @throws LlmopsError `invalid_input` when `dimensions` is not an integer in [2, 65536]. */
  constructor(options: OfflineLexicalEmbedderOptions = {}) {
    const dimensions = options.dimensions ?? defaultLexicalDimensions;
    if (!Number.isInteger(dimensions) || dimensions < 2 || dimensions > 65_536) {
      throw new LlmopsError(
        'invalid_input',
        `offline/lexical: dimensions is ${dimensions}; expected an integer from 2 to 65536`,
      );
    }
    this.dimensions = dimensions;
    this.bigramWeight = options.bigramWeight ?? 0.5;
  }

  /** The vector of one text (all zeros when the text has no terms). */
  embedText(text: string): number[] {
    const counts = new Map<string, number>();
    const terms = analyzeText(text);
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    const vector = new Array<number>(this.dimensions).fill(0);
    const add = (feature: string, count: number, weight: number) => {
      const hash = fnv1a32(feature);
      const bucket = hash % this.dimensions;
      const sign = (hash & 0x80000000) === 0 ? 1 : -1;
      vector[bucket] = (vector[bucket] as number) + sign * weight * (1 + Math.log(count));
    };
    for (const [term, count] of counts) add(term, count, 1);
    if (this.bigramWeight > 0) {
      const pairs = new Map<string, number>();
      for (let index = 1; index < terms.length; index += 1) {
        const pair = `${terms[index - 1]} ${terms[index]}`;
        pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
      }
      for (const [pair, count] of pairs) add(pair, count, this.bigramWeight);
    }
    const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
    return norm === 0 ? vector : vector.map((value) => value / norm);
  }

  /** Embeds each text; usage counts the texts' tokens (o200k_base) as an OpenAI embedder would. */
  async embed(texts: readonly string[], options: CallOptions = {}): Promise<EmbeddingResult> {
    if (options.signal?.aborted)
      throw LlmopsError.fromUnknown(options.signal.reason, 'offline/lexical: embedding was aborted');
    const embeddings = texts.map((text) => this.embedText(text));
    const tokens = texts.reduce((sum, text) => sum + countTokens(text), 0);
    return { embeddings, usage: { prompt_tokens: tokens, total_tokens: tokens } };
  }
}
