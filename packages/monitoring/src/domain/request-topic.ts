/** Cited sources kept per event at most: an answer citing every passage of a long context must not make a huge row. */
export const maxCitedSources = 8;

/**
 * The topic of a RAG request: the source document (`refunds.md`, `passages.jsonl#12`) of the passage retrieval
 * ranked first, given the retrieved passages' sources in rank order; undefined when nothing was retrieved.
 *
 * Why the top passage's document and not a clustering of the question's text: the text is stored only when a
 * deployment opts in (events keep its hash), while retrieval has already mapped every question onto the corpus, so
 * the document it ranked first names what the question is about in the corpus's own terms, for every request, with
 * no model to train and no text to keep. It is known before the answer, so a refused question has a topic too.
 */
export function topicOf(rankedSources: readonly string[]): string | undefined {
  return rankedSources[0];
}

/**
 * The cited sources of an answer: the distinct source documents of its citations, sorted, at most
 * {@link maxCitedSources} (the first ones in sort order).
 */
export function citedSourcesOf(citationSources: readonly string[]): string[] {
  return [...new Set(citationSources)].sort().slice(0, maxCitedSources);
}
