import type { Metric } from './metric.js';
import { hasReferenceContexts, retrievalMatches } from './retrieval-matches.js';
import type { RetrievalMatches } from './retrieval-matches.js';

/**
 * nDCG@k with binary relevance, k the number of passages retrieved: a passage is relevant when it
 * matches a reference context no higher-ranked passage matched (so a reference counts once and the
 * score stays within [0, 1]); DCG = Σ rel_i / log2(i + 1), divided by the DCG of the ideal ranking
 * (min(references, k) relevant passages first).
 */
export function ndcgScore(found: RetrievalMatches): number {
  const seen = new Set<number>();
  let dcg = 0;
  found.matches.forEach((row, index) => {
    const fresh = row.findIndex((matched, reference) => matched && !seen.has(reference));
    if (fresh < 0) return;
    row.forEach((matched, reference) => matched && seen.add(reference));
    dcg += 1 / Math.log2(index + 2);
  });
  let ideal = 0;
  for (let index = 0; index < Math.min(found.references, found.matches.length); index += 1)
    ideal += 1 / Math.log2(index + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** nDCG@k of the retrieved passages against the reference contexts; on examples with `reference_contexts`. No judge. */
export const ndcgAtK: Metric<'ndcg_at_k'> = {
  descriptor: {
    name: 'ndcg_at_k',
    description: 'nDCG of the retrieved passages with binary relevance (a passage matching a reference context)',
    unit: 'score',
    higherIsBetter: true,
    judged: false,
  },
  appliesTo: hasReferenceContexts,
  async score(context) {
    const found = await retrievalMatches(context);
    const score = ndcgScore(found);
    return { score, reason: `nDCG ${score.toFixed(3)} over ${found.matches.length} retrieved passages` };
  },
};
