import type { Verdict } from './judgement.js';
import {
  answerRelevancyScore,
  contextPrecisionScore,
  contextRecallScore,
  contextualRelevancyScore,
  faithfulnessScore,
  hallucinationScore,
  strictScore,
} from './metric-formulas.js';

const verdicts = (...values: Verdict[]) => values.map((verdict) => ({ verdict }));

// Hand-computed with DeepEval 4.1's `_calculate_score` of each metric (and Ragas 0.4 where it differs).
describe('DeepEval metrics', () => {
  it.each([
    [['yes', 'yes', 'no', 'yes'], 0.75],
    [['no', 'no'], 0],
    [['yes', 'idk'], 1], // idk dropped: DeepEval's judge only says yes or no
    [['idk', 'no', 'yes'], 0.5],
    [['idk'], null],
    [[], null], // no statements: undefined (DeepEval 0)
  ] as Array<[Verdict[], number | null]>)('contextual relevancy of %j is %p', (values, expected) => {
    expect(contextualRelevancyScore(verdicts(...values))).toBe(expected);
  });

  it.each([
    [['yes', 'yes', 'yes', 'no'], 0.75],
    [['idk', 'no'], 0.5], // idk counts as truthful, as in DeepEval
    [['no'], 0],
    [[], null], // no claims: undefined (DeepEval 1, Ragas NaN)
  ] as Array<[Verdict[], number | null]>)('faithfulness of %j is %p', (values, expected) => {
    expect(faithfulnessScore(verdicts(...values))).toBe(expected);
  });

  it.each([
    [['yes', 'no', 'yes', 'yes'], 0.75],
    [['idk', 'no'], 0.5], // an ambiguous statement counts as relevant, as in DeepEval
    [[], null],
  ] as Array<[Verdict[], number | null]>)('answer relevancy of %j is %p', (values, expected) => {
    expect(answerRelevancyScore(verdicts(...values))).toBe(expected);
  });

  it.each([
    [['no', 'yes'], 0.5],
    [['yes', 'no', 'yes'], 1 / 3],
    [[], null],
  ] as Array<[Verdict[], number | null]>)('hallucination (contradicted contexts) of %j is %p', (values, expected) => {
    expect(hallucinationScore(verdicts(...values))).toBe(expected);
  });
});

describe('context precision (DeepEval contextual precision, Ragas context precision@K)', () => {
  it('weights useful contexts by their rank: relevance 0,0,1,1,0 gives (1/3 + 2/4) / 2', () => {
    expect(contextPrecisionScore(verdicts('no', 'no', 'yes', 'yes', 'no'))).toBeCloseTo((1 / 3 + 2 / 4) / 2, 12);
  });

  it('is 1 when every useful context comes first, whatever follows', () => {
    expect(contextPrecisionScore(verdicts('yes', 'no', 'no'))).toBe(1);
    expect(contextPrecisionScore(verdicts('yes', 'yes', 'no'))).toBe(1);
    expect(contextPrecisionScore(verdicts('no', 'yes'))).toBe(0.5);
  });

  it("drops idk verdicts: no, idk, yes, yes scores DeepEval's 0.5833 (the issue's example), not 0.4167", () => {
    expect(contextPrecisionScore(verdicts('no', 'idk', 'yes', 'yes'))).toBeCloseTo(7 / 12, 12);
    expect(contextPrecisionScore(verdicts('no', 'no', 'yes', 'yes'))).toBeCloseTo(5 / 12, 12);
  });

  it('is 0 with no useful context, undefined when every verdict is idk or there are none', () => {
    expect(contextPrecisionScore(verdicts('no', 'no'))).toBe(0);
    expect(contextPrecisionScore(verdicts('idk', 'idk'))).toBeNull();
    expect(contextPrecisionScore([])).toBeNull();
  });
});

describe('context recall (DeepEval contextual recall, Ragas context recall)', () => {
  it.each([
    [['yes', 'no', 'yes', 'yes'], 0.75],
    [['yes', 'idk'], 1], // the example: 1.0 as DeepEval, not 0.5
    [['idk'], null],
    [[], null], // no reference claims: DeepEval 0, Ragas NaN, here undefined
  ] as Array<[Verdict[], number | null]>)('of %j is %p', (values, expected) => {
    expect(contextRecallScore(verdicts(...values))).toBe(expected);
  });
});

describe('strict mode (DeepEval strict_mode)', () => {
  it('keeps a score only when it reaches the best value, else gives the worst; null stays null', () => {
    expect(strictScore(1, true)).toBe(1);
    expect(strictScore(0.99, true)).toBe(0);
    expect(strictScore(0, false)).toBe(0);
    expect(strictScore(0.2, false)).toBe(1);
    expect(strictScore(null, true)).toBeNull();
  });
});
