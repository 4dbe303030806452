import type { Verdict } from './judgement.js';
import {
  answerRelevancyScore,
  contextPrecisionScore,
  contextRecallScore,
  contextualRelevancyScore,
  faithfulnessScore,
} from './metric-formulas.js';

const verdicts = (...values: Verdict[]) => values.map((verdict) => ({ verdict }));

describe('DeepEval metrics', () => {
  it('contextual relevancy: 3 of 4 statements relevant is 0.75, no statements is 0', () => {
    expect(contextualRelevancyScore(verdicts('yes', 'yes', 'no', 'yes'))).toBe(0.75);
    expect(contextualRelevancyScore([])).toBe(0);
    expect(contextualRelevancyScore(verdicts('no', 'no'))).toBe(0);
  });

  it('contextual relevancy counts only "yes" as relevant (an unsure statement is not relevant context)', () => {
    expect(contextualRelevancyScore(verdicts('yes', 'idk'))).toBe(0.5);
  });

  it('faithfulness: supported claims over all claims, 1 when the output makes no claims', () => {
    expect(faithfulnessScore(verdicts('yes', 'yes', 'yes', 'no'))).toBe(0.75);
    expect(faithfulnessScore([])).toBe(1);
    expect(faithfulnessScore(verdicts('no'))).toBe(0);
  });

  it('faithfulness counts "idk" as truthful, as DeepEval does (only contradicted or unsupported claims count against)', () => {
    expect(faithfulnessScore(verdicts('idk', 'no'))).toBe(0.5);
  });

  it('answer relevancy: relevant statements of the output, ambiguous ones counted relevant, 1 without statements', () => {
    expect(answerRelevancyScore(verdicts('yes', 'no', 'yes', 'yes'))).toBe(0.75);
    expect(answerRelevancyScore(verdicts('idk', 'no'))).toBe(0.5);
    expect(answerRelevancyScore([])).toBe(1);
  });
});

describe('Ragas metrics', () => {
  it('context precision weights useful contexts by their rank: relevance 0,0,1,1,0 gives (1/3 + 2/4) / 2', () => {
    expect(contextPrecisionScore(verdicts('no', 'no', 'yes', 'yes', 'no'))).toBeCloseTo((1 / 3 + 2 / 4) / 2, 12);
  });

  it('context precision is 1 when every useful context comes first, whatever follows', () => {
    expect(contextPrecisionScore(verdicts('yes', 'no', 'no'))).toBe(1);
    expect(contextPrecisionScore(verdicts('yes', 'yes', 'no'))).toBe(1);
    expect(contextPrecisionScore(verdicts('no', 'yes'))).toBe(0.5);
  });

  it('context precision is 0 with no useful context or no context at all', () => {
    expect(contextPrecisionScore(verdicts('no', 'no'))).toBe(0);
    expect(contextPrecisionScore([])).toBe(0);
  });

  it('context recall: reference claims attributed to the context over all reference claims; undefined without claims', () => {
    expect(contextRecallScore(verdicts('yes', 'no', 'yes', 'yes'))).toBe(0.75);
    expect(contextRecallScore(verdicts('idk', 'yes'))).toBe(0.5);
    expect(contextRecallScore([])).toBeNull();
  });
});
