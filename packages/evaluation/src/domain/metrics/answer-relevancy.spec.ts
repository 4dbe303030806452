import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { answerRelevancy } from './answer-relevancy.js';

describe('answer_relevancy appliesTo', () => {
  it('applies to every example that does not expect a refusal, with the given refusal tags', () => {
    expect(answerRelevancy.appliesTo(context())).toBe(true);
    expect(answerRelevancy.appliesTo(context({ example: { tags: ['adversarial'] } }))).toBe(false);
    expect(answerRelevancy.appliesTo(context({ example: { tags: ['adversarial'] }, refusalTags: ['trap'] }))).toBe(
      true,
    );
  });
});
