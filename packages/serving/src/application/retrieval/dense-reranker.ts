import { createHash } from 'node:crypto';
import type { CallOptions } from '@llmops/kernel';
import type { ScoredPassage } from '../../domain/retrieval/passage.js';
import type { CorpusIndex } from './corpus-index.js';
import { passageEmbeddingText } from './corpus-index.js';
import type { PassageReranker } from './passage-retriever.js';

/** What the dense signal needs of an encoder: a unit vector per text (the MiniLM encoder). */
export interface SentenceVectors {
  encode(text: string): Float32Array;
}

/** Settings of {@link DenseReranker}. */
export interface DenseRerankerOptions {
  /** The reranker whose order and scores the dense signal is added to (the lexical one). */
  lexical: PassageReranker;
  encoder: SentenceVectors;
  /** The dense signal's share of the score, in (0, 1] (the model spec's `retrieval.dense.weight`). */
  weight: number;
  /** Passage vectors kept at most (1.5 KB each for MiniLM); the oldest is dropped first. Default 50,000 (about 75 MB). */
  memory?: number;
}

function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += (left[index] as number) * (right[index] as number);
  return sum;
}

/**
 * The lexical rerank with a dense signal added, as measured in wiki/Serving.md: the candidates in the lexical order,
 * each scored `(1 − weight) × lexical score + weight × cosine`, the cosines between the question's vector and each
 * candidate's (title › section, then text, as {@link passageEmbeddingText} gives it) min-max scaled over the
 * candidates; ties keep the lexical order. A passage's vector is computed once per embedded text (kept by its
 * SHA-256) and reused across questions, up to `memory` vectors (a changing corpus cannot grow it without bound).
 */
export class DenseReranker implements PassageReranker {
  private readonly vectors = new Map<string, Float32Array>();

  constructor(private readonly options: DenseRerankerOptions) {}

  async rerank(
    input: { query: string; candidates: readonly ScoredPassage[]; index: CorpusIndex },
    callOptions?: CallOptions,
  ): Promise<ScoredPassage[]> {
    const ranked = await this.options.lexical.rerank(input, callOptions);
    if (ranked.length === 0) return ranked;
    const { encoder, weight } = this.options;
    const query = encoder.encode(input.query);
    const cosines = ranked.map((passage) => dot(query, this.passageVector(passage)));
    const low = Math.min(...cosines);
    const span = Math.max(...cosines) - low || 1;
    return ranked
      .map((passage, rank) => ({
        passage: {
          ...passage,
          score: (1 - weight) * passage.score + (weight * ((cosines[rank] as number) - low)) / span,
        },
        rank,
      }))
      .sort((left, right) => right.passage.score - left.passage.score || left.rank - right.rank)
      .map((entry) => entry.passage);
  }

  private passageVector(passage: ScoredPassage): Float32Array {
    const text = passageEmbeddingText(passage);
    const key = createHash('sha256').update(text).digest('hex');
    let vector = this.vectors.get(key);
    if (!vector) {
      vector = this.options.encoder.encode(text);
      if (this.vectors.size >= (this.options.memory ?? 50_000)) {
        const oldest = this.vectors.keys().next().value;
        if (oldest !== undefined) this.vectors.delete(oldest);
      }
      this.vectors.set(key, vector);
    }
    return vector;
  }
}
