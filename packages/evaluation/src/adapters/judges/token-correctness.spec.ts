import { correctnessCounts, factualF1Score } from '../../domain/metric-formulas.js';
import { tokenF1 } from '../../domain/text-normalization.js';
import { tokenCorrectness } from './token-correctness.js';

describe('tokenCorrectness (the offline judge’s answer to a correctness task)', () => {
  it('classifies SQuAD tokens: output tokens the reference holds are TP, the rest FP; reference tokens missing are FN', () => {
    const classification = tokenCorrectness('The plan costs 8 dollars [1].', 'The Team plan costs $8 per user.');
    expect(classification.basis).toBe('tokens');
    expect(classification.output.map((item) => [item.statement, item.verdict])).toEqual([
      ['plan', 'yes'],
      ['costs', 'yes'],
      ['8', 'yes'],
      ['dollars', 'no'],
    ]);
    expect(classification.reference.map((item) => [item.statement, item.verdict])).toEqual([
      ['team', 'no'],
      ['plan', 'yes'],
      ['costs', 'yes'],
      ['8', 'yes'],
      ['per', 'no'],
      ['user', 'no'],
    ]);
  });

  it.each([
    ['The Team plan costs $8.', 'Team plan costs $8'],
    ['costs 8 dollars per user', 'the plan costs 8 per user per month'],
    ['per per', 'per'],
    ['per', 'per per per'],
    ['nothing in common', 'entirely different'],
    ['', 'an answer'],
    ['a the', 'an'],
    ['Refunds take 5 to 10 business days [2].', 'Refunds appear within 5 to 10 business days.'],
  ])('gives, through Ragas’s factual F1, exactly SQuAD token F1 for %p against %p', (output, reference) => {
    const { output: outputItems, reference: referenceItems } = tokenCorrectness(output, reference);
    expect(factualF1Score(correctnessCounts(outputItems, referenceItems))).toBeCloseTo(tokenF1(output, reference), 12);
  });
});
