import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { tokenF1 } from '../text-normalization.js';
import { answerCorrectness } from './answer-correctness.js';

describe('answer_correctness (SQuAD token F1)', () => {
  it.each([
    ['The Team plan costs $8.', 'Team plan costs $8', 1], // case, punctuation and articles do not count
    ['costs 8 dollars per user', 'the plan costs 8 per user per month', (2 * (4 / 5) * (4 / 7)) / (4 / 5 + 4 / 7)],
    ['per per', 'per', (2 * 0.5 * 1) / 1.5], // shared tokens counted with multiplicity
    ['nothing in common', 'entirely different', 0],
    ['', 'an answer', 0],
    ['a the', 'an', 1], // both empty after normalisation
  ])('F1(%p, %p) = %p', (output, expected, f1) => {
    expect(tokenF1(output, expected)).toBeCloseTo(f1, 12);
  });

  it('scores the output against the expected output, on answerable examples with one', async () => {
    const scored = context({
      example: { expected_output: 'Refunds take 5 days.' },
      answer: { output: 'refunds take 5 days [1]' },
    });
    expect(answerCorrectness.appliesTo(scored)).toBe(true);
    expect((await answerCorrectness.score(scored)).score).toBe(1);
    expect(answerCorrectness.appliesTo(context({ example: { expected_output: ' ' } }))).toBe(false);
    expect(answerCorrectness.appliesTo(context({ example: { expected_output: 'x', tags: ['unanswerable'] } }))).toBe(
      false,
    );
  });
});
