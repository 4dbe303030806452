import type { Verdict } from './judgement.js';
import {
  answerCorrectnessScore,
  answerRelevancyScore,
  contextPrecisionScore,
  contextRecallScore,
  contextualRelevancyScore,
  correctnessCounts,
  factualF1Score,
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

  // DeepEval's HallucinationMetric._calculate_score: verdicts "no" over all verdicts (its judge says yes or no only).
  it.each([
    [['no', 'yes'], 0.5],
    [['yes', 'no', 'yes'], 1 / 3],
    [['yes', 'yes', 'yes'], 0],
    [['no', 'no', 'no', 'yes'], 0.75],
    [['idk', 'no', 'yes'], 0.5], // idk dropped, as in the other binary metrics
    [['idk'], null],
    [[], null], // no verdicts: undefined (DeepEval 0)
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

// Hand-computed with Ragas 0.4's AnswerCorrectness (`_compute_statement_presence`, weights [0.75, 0.25]).
describe('answer correctness (Ragas)', () => {
  const counts = (truePositives: number, falsePositives: number, falseNegatives: number) => ({
    truePositives,
    falsePositives,
    falseNegatives,
  });
  it.each([
    // Ragas's documentation example: "Einstein was born in Spain in 1879" against "… in 1879 in Germany":
    // TP "born in 1879", FP "born in Spain", FN "born in Germany": 1 / (1 + 0.5 × 2)
    { output: ['yes', 'no'], reference: ['yes', 'no'], expected: counts(1, 1, 1), f1: 0.5 },
    // Ragas's boiling-point example: 1 TP, 0 FP, 1 FN: 1 / (1 + 0.5)
    { output: ['yes'], reference: ['yes', 'no'], expected: counts(1, 0, 1), f1: 2 / 3 },
    // Ragas's sun example: 1 TP, 1 FP, 5 FN: 1 / (1 + 3)
    { output: ['no', 'yes'], reference: ['no', 'no', 'no', 'no', 'no'], expected: counts(1, 1, 5), f1: 0.25 },
    { output: ['yes', 'yes'], reference: ['yes', 'yes'], expected: counts(2, 0, 0), f1: 1 },
    { output: ['no'], reference: ['no'], expected: counts(0, 1, 1), f1: 0 }, // no TP: 0
    { output: [], reference: ['no'], expected: counts(0, 0, 1), f1: 0 },
    { output: [], reference: [], expected: counts(0, 0, 0), f1: 1 }, // nothing to classify: Ragas says 1
    { output: ['yes', 'idk'], reference: ['idk'], expected: counts(1, 0, 0), f1: 1 }, // idk dropped
  ] as Array<{ output: Verdict[]; reference: Verdict[]; expected: ReturnType<typeof counts>; f1: number }>)(
    'output $output, reference $reference: counts $expected, factual F1 $f1',
    ({ output, reference, expected, f1 }) => {
      expect(correctnessCounts(verdicts(...output), verdicts(...reference))).toEqual(expected);
      expect(factualF1Score(expected)).toBeCloseTo(f1, 12);
    },
  );

  it.each([
    [0.5, 0.9, 0.75 * 0.5 + 0.25 * 0.9], // 0.6
    [2 / 3, 1, 0.75 * (2 / 3) + 0.25], // 0.75
    [0, 0.4, 0.1],
    [1, 1, 1],
  ])('0.75 × factual F1 %p + 0.25 × similarity %p = %p', (f1, similarity, expected) => {
    expect(answerCorrectnessScore(f1, similarity)).toBeCloseTo(expected, 12);
  });

  it('takes other weights as Ragas does (a weighted mean)', () => {
    expect(answerCorrectnessScore(0.5, 1, { factuality: 1, similarity: 0 })).toBe(0.5);
    expect(answerCorrectnessScore(0.5, 1, { factuality: 1, similarity: 1 })).toBe(0.75);
  });
});
