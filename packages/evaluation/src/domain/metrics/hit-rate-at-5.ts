import type { Metric } from './metric.js';
import { hasReferenceContexts, hitRateScore, retrievalMatches } from './retrieval-matches.js';

/**
 * 1 when a reference passage is among the top 5 retrieved (among all of them when fewer were
 * retrieved); on examples with `reference_contexts`. No judge.
 */
export const hitRateAt5: Metric<'hit_rate_at_5'> = {
  descriptor: {
    name: 'hit_rate_at_5',
    description: 'a reference passage is among the top 5 retrieved passages (or all, when fewer were retrieved)',
    unit: 'rate',
    higherIsBetter: true,
    judged: false,
  },
  appliesTo: hasReferenceContexts,
  async score(context) {
    return hitRateScore(await retrievalMatches(context), 5);
  },
};
