import { Bm25fScorer } from './bm25f-scorer.js';

const documents = [
  { title: 'ship', text: 'copies bales to a depot' },
  { title: 'fetch', text: 'copies bales from a depot to ship them later' },
  { title: 'gc', text: 'removes unused shards' },
];

describe('Bm25fScorer', () => {
  it('counts a term in a boosted field more than the same term in the text', () => {
    const boosted = new Bm25fScorer(documents, { fields: { title: { weight: 3 }, text: { weight: 1 } } });
    const [ship, fetch] = boosted.scores(boosted.queryTerms('ship'));
    expect(ship).toBeGreaterThan(fetch as number);
    const flat = new Bm25fScorer(documents, { fields: { title: { weight: 0 }, text: { weight: 1 } } });
    const [shipFlat, fetchFlat] = flat.scores(flat.queryTerms('ship'));
    expect(shipFlat).toBe(0);
    expect(fetchFlat).toBeGreaterThan(0);
  });

  it('gives 0 to documents without a query term and a higher IDF to rarer terms', () => {
    const scorer = new Bm25fScorer(documents, { fields: { title: { weight: 1 }, text: { weight: 1 } } });
    expect([...scorer.scores(scorer.queryTerms('shards'))]).toEqual([0, 0, expect.any(Number)]);
    const [shard, bale] = scorer.terms('shards bales') as [string, string];
    expect(scorer.idf(shard)).toBeGreaterThan(scorer.idf(bale));
  });

  it('rejects weights and b out of range, naming the field', () => {
    expect(() => new Bm25fScorer(documents, { fields: { title: { weight: -1 }, text: { weight: 1 } } })).toThrow(
      'BM25F field title: weight is -1; expected a number >= 0',
    );
    expect(() => new Bm25fScorer(documents, { fields: { title: { weight: 1, b: 2 }, text: { weight: 1 } } })).toThrow(
      'BM25F field title: b is 2',
    );
  });
});
