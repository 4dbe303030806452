import { createHash } from 'node:crypto';
import type { CallOptions } from '@llmops/kernel';
import type { ScoredPassage } from '../../domain/retrieval/passage.js';
import type { PassageVectorStore } from '../../ports.js';
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
  /** Where passage vectors are loaded from before the first question and saved to after any is computed. */
  store?: PassageVectorStore;
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
 * SHA-256) and reused across questions, up to `memory` vectors (a changing corpus cannot grow it without bound);
 * with a `store`, the vectors are loaded from it once and saved to it after each question that computed any (one write
 * at a time, the latest vectors), so a restart or a second process does not embed the passages again.
 */
export class DenseReranker implements PassageReranker {
  private readonly vectors = new Map<string, Float32Array>();
  private loading: Promise<void> | undefined;
  private writing: Promise<void> = Promise.resolve();
  private writeQueued = false;
  /** Passage vectors computed by this reranker so far. */
  private computed = 0;

  constructor(private readonly options: DenseRerankerOptions) {}

  /** Reads the stored vectors (once; later calls wait for the same read). The first rerank calls it too. */
  load(): Promise<void> {
    this.loading ??= (async () => {
      const stored = (await this.options.store?.load()) ?? new Map<string, Float32Array>();
      for (const [key, vector] of stored) if (!this.vectors.has(key)) this.remember(key, vector);
    })();
    return this.loading;
  }

  /** Resolves when the vectors computed so far are written to the store. */
  async flush(): Promise<void> {
    await this.writing;
  }

  async rerank(
    input: { query: string; candidates: readonly ScoredPassage[]; index: CorpusIndex },
    callOptions?: CallOptions,
  ): Promise<ScoredPassage[]> {
    const ranked = await this.options.lexical.rerank(input, callOptions);
    if (ranked.length === 0) return ranked;
    await this.load();
    const { encoder, weight } = this.options;
    const query = encoder.encode(input.query);
    const before = this.computed;
    const cosines = ranked.map((passage) => dot(query, this.passageVector(passage)));
    if (this.computed !== before) this.save();
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
      this.computed += 1;
      this.remember(key, vector);
    }
    return vector;
  }

  private remember(key: string, vector: Float32Array): void {
    if (this.vectors.size >= (this.options.memory ?? 50_000)) {
      const oldest = this.vectors.keys().next().value;
      if (oldest !== undefined) this.vectors.delete(oldest);
    }
    this.vectors.set(key, vector);
  }

  /** Queues one write of the vectors after the one under way; questions meanwhile join the queued write. */
  private save(): void {
    const { store } = this.options;
    if (!store || this.writeQueued) return;
    this.writeQueued = true;
    this.writing = this.writing.then(() => {
      this.writeQueued = false;
      return store.save(this.vectors);
    });
  }
}
