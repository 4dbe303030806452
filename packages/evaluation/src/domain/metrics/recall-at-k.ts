import type { Metric } from './metric.js';
import { hasReferenceContexts, retrievalMatches } from './retrieval-matches.js';

/**
 * Recall@k, k the number of passages retrieved: the share of the reference contexts matched by a
 * retrieved passage; on examples with `reference_contexts`. No judge.
 */
export const recallAtK: Metric<'recall_at_k'> = {
  descriptor: {
    name: 'recall_at_k',
    description: 'share of the reference contexts found among the retrieved passages (k = passages retrieved)',
    unit: 'score',
    higherIsBetter: true,
    judged: false,
  },
  appliesTo: hasReferenceContexts,
  async score(context) {
    const { matches, references } = await retrievalMatches(context);
    let found = 0;
    for (let reference = 0; reference < references; reference += 1)
      if (matches.some((row) => row[reference])) found += 1;
    return {
      score: found / references,
      reason: `${found} of ${references} reference contexts found among the ${matches.length} retrieved passages`,
    };
  },
};
