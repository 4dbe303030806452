import { LlmopsError } from '@llmops/kernel';
import { analyzeText } from './text-analysis.js';

/** Settings of {@link Bm25Scorer}. */
export interface Bm25Options {
  /** Term-frequency saturation; 1.2 by default. */
  k1?: number;
  /** Length normalisation, 0 (none) to 1 (full); 0.75 by default. */
  b?: number;
  /** Turns a text into terms; {@link analyzeText} by default (stopwords out, light stemming). */
  analyze?: (text: string) => string[];
}

/** One scored document of a {@link Bm25Scorer.search}: its index in the corpus and its score. */
export interface Bm25Match {
  index: number;
  score: number;
}

/** Options of {@link Bm25Scorer.search}. */
export interface Bm25SearchOptions {
  /** At most this many matches; all by default. */
  limit?: number;
  /** Only matches scoring strictly above this; 0 by default (documents sharing no term never match). */
  minScore?: number;
}

/**
 * Okapi BM25 over a fixed corpus of texts, with the non-negative IDF
 * `ln(1 + (N - df + 0.5) / (df + 0.5))`. Build it once per corpus (passages for retrieval,
 * sentences for extractive answers) and score any number of queries against it.
 * Ties are broken by corpus order, so results are deterministic.
 */
export class Bm25Scorer {
  private readonly k1: number;
  private readonly b: number;
  private readonly analyze: (text: string) => string[];
  private readonly postings = new Map<string, Array<{ index: number; frequency: number }>>();
  private readonly lengths: number[];
  private readonly averageLength: number;

  /** @throws LlmopsError `invalid_input` when `k1` is negative or `b` is outside [0, 1]. */
  constructor(documents: readonly string[], options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    if (!(this.k1 >= 0)) throw new LlmopsError('invalid_input', `BM25 k1 is ${this.k1}; expected a number >= 0`);
    if (!(this.b >= 0 && this.b <= 1))
      throw new LlmopsError('invalid_input', `BM25 b is ${this.b}; expected a number in [0, 1]`);
    this.analyze = options.analyze ?? analyzeText;
    this.lengths = documents.map((document, index) => {
      const terms = this.analyze(document);
      const frequencies = new Map<string, number>();
      for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      for (const [term, frequency] of frequencies) {
        const list = this.postings.get(term);
        if (list) list.push({ index, frequency });
        else this.postings.set(term, [{ index, frequency }]);
      }
      return terms.length;
    });
    const total = this.lengths.reduce((sum, length) => sum + length, 0);
    this.averageLength = documents.length === 0 ? 0 : total / documents.length;
  }

  /** The number of documents in the corpus. */
  get size(): number {
    return this.lengths.length;
  }

  /** The distinct terms of a query, in first-seen order. */
  queryTerms(query: string | readonly string[]): string[] {
    const terms = typeof query === 'string' ? this.analyze(query) : query;
    return [...new Set(terms)];
  }

  /** The inverse document frequency of an analysed term; highest for a term in no document. */
  idf(term: string): number {
    const documentFrequency = this.postings.get(term)?.length ?? 0;
    return Math.log(1 + (this.size - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  /** The BM25 score of every document for a query (a text, or terms already analysed), in corpus order. */
  scores(query: string | readonly string[]): number[] {
    const scores = new Array<number>(this.size).fill(0);
    for (const term of this.queryTerms(query)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const { index, frequency } of list) {
        const length = this.lengths[index] as number;
        const norm = this.averageLength === 0 ? 1 : 1 - this.b + (this.b * length) / this.averageLength;
        scores[index] = (scores[index] as number) + (idf * frequency * (this.k1 + 1)) / (frequency + this.k1 * norm);
      }
    }
    return scores;
  }

  /**
   * The share of a query's IDF weight found in each document, in [0, 1], in corpus order: 1 when
   * the document holds every query term, near 0 when it holds only common ones. Terms absent from
   * the corpus weigh the most, so a query about something the corpus never mentions covers little.
   */
  coverages(query: string | readonly string[]): number[] {
    const found = new Array<number>(this.size).fill(0);
    let total = 0;
    for (const term of this.queryTerms(query)) {
      const weight = this.idf(term);
      total += weight;
      for (const { index } of this.postings.get(term) ?? []) found[index] = (found[index] as number) + weight;
    }
    return found.map((weight) => (total === 0 ? 0 : weight / total));
  }

  /** The documents scoring above `minScore` for a query, best first (corpus order among equals). */
  search(query: string | readonly string[], options: Bm25SearchOptions = {}): Bm25Match[] {
    const minScore = options.minScore ?? 0;
    const matches = this.scores(query)
      .map((score, index) => ({ index, score }))
      .filter((match) => match.score > minScore)
      .sort((left, right) => right.score - left.score || left.index - right.index);
    return options.limit === undefined ? matches : matches.slice(0, Math.max(0, options.limit));
  }
}
