/**
 * A page-level signal for the lexical rerank (issue 11, 2026-12-01), a bench-only variant: measured and not shipped
 * (wiki/Evaluation.md, "Ranking on unseen text: a page-level signal and table rows"). It wraps the shipped
 * `LexicalReranker` and mixes a score of the passage's whole page into each rerank score:
 * `(1 − weight) × rerank score + weight × page score`, so that the page about the question's subject could beat a page
 * that merely repeats one of its facts (a glossary, a limits table, a troubleshooting list). Three page scores:
 *
 * - `bm25`: BM25F of the whole page (title ×2, every section path ×1.5, all its text ×1; standard length normalisation
 *   b = 0.75 for sections and text) for the question, over the best candidate page's;
 * - `coverage`: the share of the question's IDF weight the page's terms hold;
 * - `candidates`: the best plus the mean rerank score of the page's passages among the candidates, over the best page's.
 *
 * Used by retrieval-quality.ts (`--page-weight W --page-signal bm25|coverage|candidates`) and retrieval-speed.ts
 * (`--page-weight W`, `bm25`).
 */
import { Bm25fScorer } from '@llmops/providers';
import { LexicalReranker } from '@llmops/serving';
import type { PassageReranker, ScoredPassage } from '@llmops/serving';

/** How a page is scored for the question (see the file's header). */
export type PageSignalKind = 'bm25' | 'coverage' | 'candidates';

/** The fields of a whole page in the `bm25` page score. */
const pageFieldWeights = {
  title: { weight: 2, b: 0 },
  section: { weight: 1.5, b: 0.75 },
  text: { weight: 1, b: 0.75 },
} as const;

type RerankInput = Parameters<PassageReranker['rerank']>[0];
type PageIndex = { sources: string[]; bm25: Bm25fScorer<'title' | 'section' | 'text'> };

/** The share of the query's IDF weight that a set of terms holds, in [0, 1]. */
function idfCoverage(queryTerms: readonly string[], found: ReadonlySet<string>, idf: (term: string) => number): number {
  let total = 0;
  let matched = 0;
  for (const term of queryTerms) {
    total += idf(term);
    if (found.has(term)) matched += idf(term);
  }
  return total === 0 ? 0 : matched / total;
}

/** Scores over the best one, so the best page scores 1. */
function overBest(scores: Map<string, number>): Map<string, number> {
  const best = Math.max(...scores.values(), 0);
  for (const [source, value] of scores) scores.set(source, best > 0 ? value / best : 0);
  return scores;
}

/** The shipped lexical rerank with a page-level signal mixed in (see the file's header). */
export class PageSignalReranker implements PassageReranker {
  private readonly lexical: PassageReranker;
  private readonly weight: number;
  private readonly signal: PageSignalKind;
  private readonly pageIndexes = new WeakMap<object, PageIndex>();
  private readonly pageTerms = new WeakMap<object, Map<string, Set<string>>>();

  constructor(options: { weight: number; signal: PageSignalKind; lexical?: PassageReranker }) {
    this.lexical = options.lexical ?? new LexicalReranker();
    this.weight = options.weight;
    this.signal = options.signal;
  }

  async rerank(input: RerankInput): Promise<ScoredPassage[]> {
    const ranked = await this.lexical.rerank(input);
    const pages = this.pageScores(input, ranked);
    return ranked
      .map((passage, rank) => ({
        passage: {
          ...passage,
          score: (1 - this.weight) * passage.score + this.weight * (pages.get(passage.source) ?? 0),
        },
        rank,
      }))
      .sort((left, right) => right.passage.score - left.passage.score || left.rank - right.rank)
      .map((entry) => entry.passage);
  }

  private pageScores(input: RerankInput, ranked: readonly ScoredPassage[]): Map<string, number> {
    const scores = new Map<string, number>();
    if (this.signal === 'candidates') {
      const byPage = new Map<string, number[]>();
      for (const passage of ranked) byPage.set(passage.source, [...(byPage.get(passage.source) ?? []), passage.score]);
      for (const [source, values] of byPage) {
        const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
        scores.set(source, (Math.max(...values) + mean) / 2);
      }
      return overBest(scores);
    }
    const { lexical } = input.index;
    if (this.signal === 'coverage') {
      const queryTerms = [...new Set(lexical.terms(input.query))];
      const pages = this.termsOfPages(input);
      for (const passage of ranked) {
        scores.set(passage.source, idfCoverage(queryTerms, pages.get(passage.source) ?? new Set(), lexical.idf));
      }
      return scores;
    }
    const { sources, bm25 } = this.pageIndexOf(input);
    const relevance = bm25.scores(bm25.queryTerms(input.query));
    const bySource = new Map(sources.map((source, position) => [source, relevance[position] as number]));
    for (const passage of ranked) scores.set(passage.source, bySource.get(passage.source) ?? 0);
    return overBest(scores);
  }

  private pageIndexOf(input: RerankInput): PageIndex {
    const known = this.pageIndexes.get(input.index);
    if (known) return known;
    const pages = new Map<string, { title: string; section: string[]; text: string[] }>();
    for (const passage of input.index.passages) {
      const page = pages.get(passage.source) ?? { title: passage.title ?? '', section: [], text: [] };
      if (passage.section) page.section.push(passage.section);
      page.text.push(passage.text);
      pages.set(passage.source, page);
    }
    const built = {
      sources: [...pages.keys()],
      bm25: new Bm25fScorer(
        [...pages.values()].map((page) => ({
          title: page.title,
          section: page.section.join('\n'),
          text: page.text.join('\n'),
        })),
        { fields: pageFieldWeights },
      ),
    };
    this.pageIndexes.set(input.index, built);
    return built;
  }

  private termsOfPages(input: RerankInput): Map<string, Set<string>> {
    const known = this.pageTerms.get(input.index);
    if (known) return known;
    const pages = new Map<string, Set<string>>();
    for (const passage of input.index.passages) {
      const page = pages.get(passage.source) ?? new Set<string>();
      for (const term of input.index.lexical.terms(`${passage.title ?? ''} ${passage.section ?? ''} ${passage.text}`))
        page.add(term);
      pages.set(passage.source, page);
    }
    this.pageTerms.set(input.index, pages);
    return pages;
  }
}
