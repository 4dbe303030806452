import type { ExampleResult } from './example-result.js';
import { pairScores, runScoresOf, scoredValues } from './run-scores.js';

function result(id: string, scores: { faithfulness?: number | null; latency?: number }): ExampleResult {
  const metrics: ExampleResult['metrics'] = {};
  if (scores.faithfulness !== undefined) metrics.faithfulness = { score: scores.faithfulness, reason: 'scripted' };
  if (scores.latency !== undefined) metrics.latency = { score: scores.latency, reason: 'ms' };
  return {
    exampleId: id,
    input: `question ${id}`,
    tags: [],
    output: `answer ${id}`,
    retrievalContext: [],
    latencyMs: 100,
    usage: null,
    costUsd: null,
    metrics,
  };
}

describe('runScoresOf', () => {
  it('puts each metric in a column by position, NaN where an example has no score or a null one', () => {
    const scores = runScoresOf([
      result('a', { faithfulness: 0.5, latency: 120 }),
      result('b', { faithfulness: null }),
      result('c', { latency: 80 }),
    ]);
    expect(scores.exampleIds).toEqual(['a', 'b', 'c']);
    expect(Array.from(scores.scores.faithfulness ?? [])).toEqual([0.5, Number.NaN, Number.NaN]);
    expect(Array.from(scores.scores.latency ?? [])).toEqual([120, Number.NaN, 80]);
    expect(scores.scores.answer_correctness).toBeUndefined();
    expect(Array.from(scoredValues(scores, 'latency'))).toEqual([120, 80]);
    expect(Array.from(scoredValues(scores, 'answer_correctness'))).toEqual([]);
  });
});

describe('pairScores', () => {
  it("pairs B's examples with A's on ids in B's order, an id A holds twice with A's last, both scored only", () => {
    const a = runScoresOf([
      result('x', { faithfulness: 0.1 }),
      result('y', { faithfulness: 0.2 }),
      result('x', { faithfulness: 0.3 }),
      result('z', { faithfulness: null }),
    ]);
    const b = runScoresOf([
      result('z', { faithfulness: 0.9 }),
      result('y', { faithfulness: 0.7 }),
      result('w', { faithfulness: 0.5 }),
      result('x', { faithfulness: 0.8 }),
    ]);
    const paired = pairScores(a, b, 'faithfulness');
    expect(Array.from(paired.positionsB)).toEqual([1, 3]);
    expect(Array.from(paired.positionsA)).toEqual([1, 2]);
    expect(Array.from(paired.differences)).toEqual([0.7 - 0.2, 0.8 - 0.3]);
    expect(pairScores(a, b, 'latency').differences).toHaveLength(0);
  });
});
