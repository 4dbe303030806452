import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { hitRateAt1 } from './hit-rate-at-1.js';
import { hitRateAt5 } from './hit-rate-at-5.js';
import { mrr } from './mrr.js';
import { ndcgAtK } from './ndcg-at-k.js';
import { recallAtK } from './recall-at-k.js';

const references = ['alpha beta gamma delta epsilon', 'one two three four five'];
const passages = (...texts: string[]) => ({
  example: { reference_contexts: references },
  answer: { retrievalContext: texts },
});
const ref1 = 'doc › S\nalpha beta gamma delta epsilon';
const ref2 = 'one two three four five six';
const miss = 'nothing relevant here';

async function scores(...texts: string[]) {
  const shared = context(passages(...texts));
  return {
    hit1: (await hitRateAt1.score(shared)).score,
    hit5: (await hitRateAt5.score(shared)).score,
    recall: (await recallAtK.score(shared)).score,
    mrr: (await mrr.score(shared)).score,
    ndcg: (await ndcgAtK.score(shared)).score,
  };
}

describe('retrieval metrics (deterministic, through matchesReference)', () => {
  it.each([
    // retrieved, hit@1, hit@5, recall@k, reciprocal rank, nDCG@k (hand-computed, log2 discounts)
    [[ref1, ref2], 1, 1, 1, 1, 1],
    [[miss, ref1], 0, 1, 0.5, 1 / 2, 1 / Math.log2(3) / (1 + 1 / Math.log2(3))],
    [[miss, miss, ref2, ref1], 0, 1, 1, 1 / 3, (1 / 2 + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3))],
    [[miss, miss, miss, miss, miss, ref1], 0, 0, 0.5, 1 / 6, 1 / Math.log2(7) / (1 + 1 / Math.log2(3))],
    [[ref1, ref1], 1, 1, 0.5, 1, 1 / (1 + 1 / Math.log2(3))], // a reference counts once
    [[], 0, 0, 0, 0, 0],
  ])('%j', async (retrieved, hit1, hit5, recall, reciprocal, ndcg) => {
    const found = await scores(...(retrieved as string[]));
    expect(found.hit1).toBe(hit1);
    expect(found.hit5).toBe(hit5);
    expect(found.recall).toBe(recall);
    expect(found.mrr).toBeCloseTo(reciprocal, 12);
    expect(found.ndcg).toBeCloseTo(ndcg, 12);
  });

  it('apply only to examples with reference contexts', () => {
    for (const metric of [hitRateAt1, hitRateAt5, recallAtK, mrr, ndcgAtK]) {
      expect(metric.appliesTo(context(passages(ref1)))).toBe(true);
      expect(metric.appliesTo(context({ answer: { retrievalContext: [ref1] } }))).toBe(false);
    }
  });
});
