import { LlmopsError } from '@llmops/kernel';
import { analyzeText } from './text-analysis.js';

/** The weight and length normalisation of one field of a {@link Bm25fScorer}. */
export interface Bm25fField {
  /** How much a term in this field counts against the same term in a field of weight 1. */
  weight: number;
  /** Length normalisation of the field, 0 (none) to 1 (full); 0.75 by default. */
  b?: number;
}

/** Settings of {@link Bm25fScorer}. */
export interface Bm25fOptions<F extends string> {
  /** The fields of every document, with their weights. */
  fields: Readonly<Record<F, Bm25fField>>;
  /** Term-frequency saturation; 1.2 by default. */
  k1?: number;
  /** Turns a text into terms; {@link analyzeText} by default. */
  analyze?: (text: string) => string[];
}

/**
 * BM25F (Robertson, Zaragoza and Taylor, 2004) over documents made of named fields (a passage's
 * title, section path and text): each field's term frequency is length-normalised within that field,
 * weighted, and summed before one saturation, so a term in a boosted field counts more without a
 * document gaining by repeating it across fields. IDF is the non-negative
 * `ln(1 + (N - df + 0.5) / (df + 0.5))` over documents. The per-document weighted frequencies are
 * computed once when the scorer is built, so a query costs one pass over its terms' postings.
 * Ties keep corpus order.
 */
export class Bm25fScorer<F extends string> {
  private readonly k1: number;
  private readonly analyze: (text: string) => string[];
  private readonly postings = new Map<string, { indexes: number[]; frequencies: number[] }>();
  readonly size: number;

  /** @throws LlmopsError `invalid_input` for a negative weight or `k1`, or a `b` outside [0, 1]. */
  constructor(documents: ReadonlyArray<Readonly<Record<F, string>>>, options: Bm25fOptions<F>) {
    this.k1 = options.k1 ?? 1.2;
    if (!(this.k1 >= 0)) throw new LlmopsError('invalid_input', `BM25F k1 is ${this.k1}; expected a number >= 0`);
    this.analyze = options.analyze ?? analyzeText;
    const fields = Object.entries(options.fields) as Array<[F, Bm25fField]>;
    for (const [name, field] of fields) {
      if (!(field.weight >= 0))
        throw new LlmopsError(
          'invalid_input',
          `BM25F field ${name}: weight is ${field.weight}; expected a number >= 0`,
        );
      const b = field.b ?? 0.75;
      if (!(b >= 0 && b <= 1))
        throw new LlmopsError('invalid_input', `BM25F field ${name}: b is ${b}; expected a number in [0, 1]`);
    }
    this.size = documents.length;
    const analysed = documents.map((document) => fields.map(([name]) => this.analyze(document[name] ?? '')));
    const averages = fields.map(
      (_, field) => analysed.reduce((sum, terms) => sum + (terms[field] as string[]).length, 0) / (this.size || 1),
    );
    analysed.forEach((terms, index) => {
      const weighted = new Map<string, number>();
      fields.forEach(([, field], position) => {
        const fieldTerms = terms[position] as string[];
        if (fieldTerms.length === 0 || field.weight === 0) return;
        const b = field.b ?? 0.75;
        const average = averages[position] as number;
        const norm = average === 0 ? 1 : 1 - b + (b * fieldTerms.length) / average;
        const counts = new Map<string, number>();
        for (const term of fieldTerms) counts.set(term, (counts.get(term) ?? 0) + 1);
        for (const [term, count] of counts)
          weighted.set(term, (weighted.get(term) ?? 0) + (field.weight * count) / norm);
      });
      for (const [term, frequency] of weighted) {
        const list = this.postings.get(term);
        if (list) {
          list.indexes.push(index);
          list.frequencies.push(frequency);
        } else {
          this.postings.set(term, { indexes: [index], frequencies: [frequency] });
        }
      }
    });
  }

  /** The distinct analysed terms of a query, in first-seen order. */
  queryTerms(query: string): string[] {
    return [...new Set(this.analyze(query))];
  }

  /** The analysed terms of any text, with repeats, in order (the scorer's analyser). */
  terms(text: string): string[] {
    return this.analyze(text);
  }

  /** The inverse document frequency of an analysed term; highest for a term in no document. */
  idf(term: string): number {
    const documentFrequency = this.postings.get(term)?.indexes.length ?? 0;
    return Math.log(1 + (this.size - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  /** The BM25F score of every document for analysed query terms, in corpus order (0 when none matches). */
  scores(terms: readonly string[]): Float64Array {
    const scores = new Float64Array(this.size);
    for (const term of new Set(terms)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      const { indexes, frequencies } = list;
      for (let position = 0; position < indexes.length; position += 1) {
        const frequency = frequencies[position] as number;
        const index = indexes[position] as number;
        scores[index] = (scores[index] as number) + (idf * frequency * (this.k1 + 1)) / (frequency + this.k1);
      }
    }
    return scores;
  }
}
