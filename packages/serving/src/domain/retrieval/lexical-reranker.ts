import { shortestWindow, unquotableSection } from '@llmops/providers';
import { namesPage } from './page-name.js';
import type { ScoredPassage } from './passage.js';

/** The lexical statistics reranking and compression read from the index: its analyser and IDF. */
export interface LexicalTools {
  /** The analysed terms of a text, in order, with repeats. */
  terms: (text: string) => string[];
  /** The inverse document frequency of an analysed term in the corpus. */
  idf: (term: string) => number;
}

/** What the reranker reads from the index besides its analyser and IDF. */
export interface RerankTools extends LexicalTools {
  /** How rare a term is among the corpus's page titles, in [0, 1] (see `titleRarity`). */
  titleRarity: (term: string) => number;
}

/** How much each signal counts in {@link rerankLexically}; the score is their weighted sum over the sum of the weights. */
export const lexicalRerankWeights = {
  retrieval: 0.4,
  coverage: 0.3,
  proximity: 0.15,
  fields: 0.15,
  page: 0.15,
} as const;

/**
 * What a passage of a NAME, SYNOPSIS or SEE ALSO section keeps of its rerank score. Those sections
 * list what a page is about and which options it has, so they share words with every question about
 * the page and answer none of them (the answerer never quotes them either); halved, they stay
 * retrievable when nothing else on the page matches.
 */
export const summarySectionFactor = 0.5;

/** The share of the query's IDF weight that a set of terms holds, in [0, 1]. */
export function idfCoverage(queryTerms: readonly string[], found: ReadonlySet<string>, tools: LexicalTools): number {
  let total = 0;
  let matched = 0;
  for (const term of queryTerms) {
    const weight = tools.idf(term);
    total += weight;
    if (found.has(term)) matched += weight;
  }
  return total === 0 ? 0 : matched / total;
}

/**
 * How close together the query terms a text holds are: `(m - 1) / (w - 1)` for the shortest run of
 * `w` terms of the text holding all `m` distinct query terms it contains (1 when they are adjacent),
 * and 0 when it holds fewer than two.
 */
export function termProximity(queryTerms: readonly string[], textTerms: readonly string[]): number {
  const wanted = new Set(queryTerms);
  const present = new Set(textTerms.filter((term) => wanted.has(term)));
  if (present.size < 2) return 0;
  return (present.size - 1) / (shortestWindow(textTerms, present) - 1);
}

/**
 * Reorders retrieval candidates by lexical evidence, deterministically: the first-stage score
 * (relative to the best candidate's), the share of the query's IDF weight the passage holds in any
 * field, how close together the matched terms stand in its text, the share held by its title and
 * section path, and whether the question names the passage's page (see `namesPage`); a passage of a
 * NAME, SYNOPSIS or SEE ALSO section keeps {@link summarySectionFactor} of its score. Each passage's
 * `score` becomes its rerank score in [0, 1]; ties keep the first-stage order.
 */
export function rerankLexically(
  query: string,
  candidates: readonly ScoredPassage[],
  tools: RerankTools,
): ScoredPassage[] {
  const questionTerms = tools.terms(query);
  const queryTerms = [...new Set(questionTerms)];
  const top = Math.max(...candidates.map((candidate) => candidate.score), 0);
  const weights = lexicalRerankWeights;
  const totalWeight = weights.retrieval + weights.coverage + weights.proximity + weights.fields + weights.page;
  const pageNamed = new Map<string, number>();
  const named = (title: string) => {
    if (!pageNamed.has(title)) pageNamed.set(title, namesPage(questionTerms, title, tools));
    return pageNamed.get(title) as number;
  };
  return candidates
    .map((candidate, rank) => {
      const textTerms = tools.terms(candidate.text);
      const fieldTerms = new Set(tools.terms(`${candidate.title ?? ''} ${candidate.section ?? ''}`));
      const all = new Set([...textTerms, ...fieldTerms]);
      const evidence =
        weights.retrieval * (top > 0 ? candidate.score / top : 0) +
        weights.coverage * idfCoverage(queryTerms, all, tools) +
        weights.proximity * termProximity(queryTerms, textTerms) +
        weights.fields * idfCoverage(queryTerms, fieldTerms, tools) +
        weights.page * named(candidate.title ?? '');
      const factor = unquotableSection(candidate.section ?? '') ? summarySectionFactor : 1;
      return { passage: { ...candidate, score: (factor * evidence) / totalWeight }, rank };
    })
    .sort((left, right) => right.passage.score - left.passage.score || left.rank - right.rank)
    .map((entry) => entry.passage);
}
