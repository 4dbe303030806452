import type { CallOptions, Embedder } from '@llmops/kernel';
import { Bm25fScorer, cosineSimilarity } from '@llmops/providers';
import { canonicalExitStatusPhrases } from '../../domain/retrieval/exit-status-phrases.js';
import type { RerankTools } from '../../domain/retrieval/lexical-reranker.js';
import { titleRarity } from '../../domain/retrieval/page-name.js';
import type { Passage, ScoredPassage } from '../../domain/retrieval/passage.js';

/** The constant of reciprocal rank fusion (the value of the original paper). */
const fusionConstant = 60;

/**
 * The `limit` best of `scores` (above 0), best first, ties in corpus order: one pass keeping a small
 * sorted list, instead of sorting every document that shares a term with the query (in a large
 * corpus, common words such as "warranty" match most documents).
 */
function topMatches(scores: ArrayLike<number>, limit: number): Array<{ index: number; score: number }> {
  const best: Array<{ index: number; score: number }> = [];
  for (let index = 0; index < scores.length; index += 1) {
    const score = scores[index] as number;
    if (score <= 0) continue;
    if (best.length === limit && score <= (best[best.length - 1] as { score: number }).score) continue;
    let position = best.length;
    while (position > 0 && (best[position - 1] as { score: number }).score < score) position -= 1;
    best.splice(position, 0, { index, score });
    if (best.length > limit) best.pop();
  }
  return best;
}

/**
 * Query terms found in more than this share of the passages are left out of BM25 scoring (unless
 * every term is that common): their IDF is below 0.11 against 5 to 10 for a distinctive term, so
 * they barely move the ranking, yet scoring them visits nearly every passage of a large corpus.
 */
const commonTermShare = 0.9;

/**
 * The fields of a passage in BM25F and their weights. The document title counts twice a term of
 * running text, so that a question naming the subject (a command, a product, a page) prefers that
 * subject's passages; a term in the section path (a heading, an entry's term) counts one and a half
 * times. Title and section are labels, not text, so their length is not normalised (b = 0); the
 * text's length normalisation is halved (b = 0.5) because passages are whole paragraphs and entries
 * of very different lengths, and the standard 0.75 favours one-line entries over the paragraph that
 * explains.
 */
export const passageFieldWeights = {
  title: { weight: 2, b: 0 },
  section: { weight: 1.5, b: 0 },
  text: { weight: 1, b: 0.5 },
} as const;

/** The text of a passage an embedder sees: its title and section path, then its text. */
export function passageEmbeddingText(passage: Passage): string {
  const location = [passage.title, passage.section].filter(Boolean).join(' › ');
  return location ? `${location}\n${passage.text}` : passage.text;
}

/** The hybrid half of an index: an embedder and the vectors of every passage. */
export interface PassageVectors {
  embedder: Embedder;
  vectors: readonly number[][];
}

/**
 * A searchable index over a corpus's passages: BM25F over each passage's title, section path and
 * text (see {@link passageFieldWeights}), and,
 * when vectors are given, hybrid retrieval that fuses the BM25 ranking with the embedding
 * (cosine) ranking by reciprocal rank fusion.
 */
export class CorpusIndex {
  readonly passages: readonly Passage[];
  /** The index's analyser (exit-status phrases made one, see `canonicalExitStatusPhrases`), IDF and title rarity, for reranking and compression. */
  readonly lexical: RerankTools;
  private readonly bm25: Bm25fScorer<'title' | 'section' | 'text'>;
  private readonly hybrid: PassageVectors | undefined;

  constructor(passages: readonly Passage[], hybrid?: PassageVectors) {
    this.passages = passages;
    this.bm25 = new Bm25fScorer(
      passages.map((passage) => ({
        title: passage.title ?? '',
        section: canonicalExitStatusPhrases(passage.section ?? ''),
        text: canonicalExitStatusPhrases(passage.text),
      })),
      { fields: passageFieldWeights },
    );
    const bm25 = this.bm25;
    const terms = (text: string) => bm25.terms(canonicalExitStatusPhrases(text));
    this.lexical = {
      terms,
      idf: (term) => bm25.idf(term),
      titleRarity: titleRarity(
        passages.map((passage) => passage.title ?? ''),
        terms,
      ),
    };
    this.hybrid = hybrid;
  }

  /**
   * The `k` passages best matching a query, best first. BM25F only: passages sharing no term with
   * the query are never returned, and `score` is the BM25F score of the query's distinctive terms
   * (terms in more than 90 % of the passages are skipped when rarer ones exist). Hybrid: the union of both
   * rankings' top candidates, scored `Σ 1/(60 + rank)`.
   */
  async search(query: string, options: { k: number } & CallOptions): Promise<ScoredPassage[]> {
    const depth = this.hybrid ? Math.max(options.k * 4, 20) : options.k;
    const terms = this.bm25.queryTerms(canonicalExitStatusPhrases(query));
    const commonIdf = Math.log(
      1 + (this.passages.length * (1 - commonTermShare) + 0.5) / (this.passages.length * commonTermShare + 0.5),
    );
    const distinctive = terms.filter((term) => this.bm25.idf(term) > commonIdf);
    const lexical = topMatches(this.bm25.scores(distinctive.length > 0 ? distinctive : terms), depth);
    if (!this.hybrid) {
      return lexical.map((match) => ({ ...(this.passages[match.index] as Passage), score: match.score }));
    }
    const { embeddings } = await this.hybrid.embedder.embed([query], options.signal ? { signal: options.signal } : {});
    const queryVector = embeddings[0] ?? [];
    const semantic = topMatches(
      this.hybrid.vectors.map((vector) => cosineSimilarity(queryVector, vector)),
      depth,
    );
    const fused = new Map<number, number>();
    for (const ranking of [lexical, semantic]) {
      ranking.forEach((match, rank) =>
        fused.set(match.index, (fused.get(match.index) ?? 0) + 1 / (fusionConstant + rank + 1)),
      );
    }
    return [...fused.entries()]
      .sort((left, right) => right[1] - left[1] || left[0] - right[0])
      .slice(0, options.k)
      .map(([index, score]) => ({ ...(this.passages[index] as Passage), score }));
  }
}
