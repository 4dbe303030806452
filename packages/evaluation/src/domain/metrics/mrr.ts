import type { Metric } from './metric.js';
import { firstRelevantRank, hasReferenceContexts, retrievalMatches } from './retrieval-matches.js';

/**
 * Reciprocal rank: 1 / the rank of the first retrieved passage matching a reference context, 0 when
 * none does (its mean is the MRR); on examples with `reference_contexts`. No judge.
 */
export const mrr: Metric<'mrr'> = {
  descriptor: {
    name: 'mrr',
    description: '1 / rank of the first retrieved passage that is a reference passage, 0 when none is (mean: MRR)',
    unit: 'score',
    higherIsBetter: true,
    judged: false,
  },
  appliesTo: hasReferenceContexts,
  async score(context) {
    const found = await retrievalMatches(context);
    const rank = firstRelevantRank(found);
    return rank === null
      ? { score: 0, reason: `no reference passage among the ${found.matches.length} retrieved` }
      : { score: 1 / rank, reason: `the first reference passage is at rank ${rank}` };
  },
};
