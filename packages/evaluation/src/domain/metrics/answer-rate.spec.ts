import { metricTestContext as context } from '../../testing/metric-test-context.js';
import { ScriptedJudge } from '../../testing/scripted-judge.js';
import { answerRate } from './answer-rate.js';

const judge = new ScriptedJudge({
  refusal: (task) => ({ refused: /don't know/.test(task.output), reason: 'scripted' }),
});

describe('answer_rate', () => {
  it.each([
    ['Refunds take 5 days.', 1],
    ["I don't know.", 0],
    ['   ', 0],
  ])('%p on an answerable example scores %p', async (output, expected) => {
    expect((await answerRate.score(context({ judge, answer: { output } }))).score).toBe(expected);
  });

  it('applies to answerable examples only (refusal_correctness scores the others)', () => {
    expect(answerRate.appliesTo(context({ example: { tags: ['answerable'] } }))).toBe(true);
    expect(answerRate.appliesTo(context({ example: { tags: ['unanswerable'] } }))).toBe(false);
    expect(answerRate.appliesTo(context({ example: { tags: ['adversarial'] } }))).toBe(false);
  });
});
