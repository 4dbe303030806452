import { Bm25Scorer } from './bm25-scorer.js';

const corpus = [
  'Refunds are issued within 14 days of the return.',
  'Orders ship within two business days.',
  'The warranty does not cover water damage.',
  'Refund requests need the order number; refunds go to the original payment method.',
];

describe('Bm25Scorer', () => {
  it('ranks documents by BM25 and ignores documents sharing no term', () => {
    const scorer = new Bm25Scorer(corpus);
    const matches = scorer.search('refund order');
    expect(matches.map((match) => match.index)).toEqual([3, 0, 1]);
    expect(matches[0]?.score).toBeGreaterThan(matches[1]?.score ?? Infinity);
    expect(scorer.search('spaceship')).toEqual([]);
  });

  it('computes the textbook score for a one-term query', () => {
    const scorer = new Bm25Scorer(['apple banana', 'apple', 'cherry'], { k1: 1.2, b: 0.75 });
    const idf = Math.log(1 + (3 - 2 + 0.5) / (2 + 0.5));
    const averageLength = 4 / 3;
    const expected = (idf * (1 * 2.2)) / (1 + 1.2 * (1 - 0.75 + (0.75 * 1) / averageLength));
    expect(scorer.scores('apple')[1]).toBeCloseTo(expected, 10);
    expect(scorer.scores('apple')[2]).toBe(0);
  });

  it('gives rare terms more weight than common ones, and unseen terms the most', () => {
    const scorer = new Bm25Scorer(corpus);
    expect(scorer.idf('warranti')).toBeGreaterThan(scorer.idf('refund'));
    expect(scorer.idf('spaceship')).toBeGreaterThan(scorer.idf('warranti'));
  });

  it('measures the share of the query weight each document covers', () => {
    const scorer = new Bm25Scorer(corpus);
    const coverages = scorer.coverages('water damage');
    expect(coverages[2]).toBeCloseTo(1);
    expect(coverages[0]).toBe(0);
    const partial = scorer.coverages('water damage on spaceships')[2] ?? 0;
    expect(partial).toBeGreaterThan(0.3);
    expect(partial).toBeLessThan(0.8);
  });

  it('limits results, breaks ties by corpus order and accepts analysed terms', () => {
    const scorer = new Bm25Scorer(['parcel tracking', 'parcel tracking', 'invoice']);
    expect(scorer.search(['parcel'], { limit: 1 })).toEqual([{ index: 0, score: expect.any(Number) }]);
    expect(scorer.search('parcels').map((match) => match.index)).toEqual([0, 1]);
  });

  it('handles an empty corpus and rejects bad parameters', () => {
    expect(new Bm25Scorer([]).search('anything')).toEqual([]);
    expect(() => new Bm25Scorer(corpus, { b: 2 })).toThrow(/expected a number in \[0, 1\]/);
  });
});
