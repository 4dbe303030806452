import type { Metric } from './metric.js';
import { hasReferenceContexts, hitRateScore, retrievalMatches } from './retrieval-matches.js';

/** 1 when the first retrieved passage is a reference passage; on examples with `reference_contexts`. No judge. */
export const hitRateAt1: Metric<'hit_rate_at_1'> = {
  descriptor: {
    name: 'hit_rate_at_1',
    description: 'the top retrieved passage is a reference passage (contains it, or covers 80 % of its words)',
    unit: 'rate',
    higherIsBetter: true,
    judged: false,
  },
  appliesTo: hasReferenceContexts,
  async score(context) {
    return hitRateScore(await retrievalMatches(context), 1);
  },
};
