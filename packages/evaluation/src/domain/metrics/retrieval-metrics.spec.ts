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
    { retrieved: [ref1, ref2], hit1: 1, hit5: 1, recall: 1, reciprocal: 1, ndcg: 1 },
    {
      retrieved: [miss, ref1],
      hit1: 0,
      hit5: 1,
      recall: 0.5,
      reciprocal: 1 / 2,
      ndcg: 1 / Math.log2(3) / (1 + 1 / Math.log2(3)),
    },
    {
      retrieved: [miss, miss, ref2, ref1],
      hit1: 0,
      hit5: 1,
      recall: 1,
      reciprocal: 1 / 3,
      ndcg: (1 / 2 + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3)),
    },
    {
      retrieved: [miss, miss, miss, miss, miss, ref1],
      hit1: 0,
      hit5: 0,
      recall: 0.5,
      reciprocal: 1 / 6,
      ndcg: 1 / Math.log2(7) / (1 + 1 / Math.log2(3)),
    },
    { retrieved: [ref1, ref1], hit1: 1, hit5: 1, recall: 0.5, reciprocal: 1, ndcg: 1 / (1 + 1 / Math.log2(3)) }, // a reference counts once
    { retrieved: [], hit1: 0, hit5: 0, recall: 0, reciprocal: 0, ndcg: 0 },
  ])('$retrieved', async ({ retrieved, hit1, hit5, recall, reciprocal, ndcg }) => {
    const found = await scores(...retrieved);
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
