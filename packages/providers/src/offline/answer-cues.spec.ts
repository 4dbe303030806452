import { answerCues, normaliseQuestion, offersAnswer } from './answer-cues.js';

describe('answerCues', () => {
  it.each([
    ['How many buckets does a sweep keep?', true],
    ['How long is a pond locked?', true],
    ['What is the maximum age of a bucket?', true],
    ['How often does the tide scheduler wake up?', true],
    ['In what year was the pond format introduced?', true],
    ['How do I remove a pond?', false],
    ['Does tidepool sweep delete locked buckets?', false],
  ])('reads %j as asking for an amount: %s', (question, quantity) => {
    expect(answerCues(question).quantity).toBe(quantity);
  });
});

describe('offersAnswer', () => {
  const amount = answerCues('How long does a sweep wait?');

  it('accepts a unit stating an amount in digits, as a size, or in words', () => {
    expect(offersAnswer(amount, 'The wait starts at 2 seconds.')).toBe(true);
    expect(offersAnswer(amount, 'The cache is bounded at 2G.')).toBe(true);
    expect(offersAnswer(amount, 'The scheduler wakes once a minute.')).toBe(true);
    expect(offersAnswer(amount, 'Backups run weekly.')).toBe(true);
  });

  it('rejects a unit without any amount, and accepts anything for a question that asks for none', () => {
    expect(offersAnswer(amount, 'The sweep waits for the pond lock.')).toBe(false);
    expect(offersAnswer(answerCues('Why does a sweep wait?'), 'The sweep waits for the pond lock.')).toBe(true);
  });
});

describe('normaliseQuestion', () => {
  it('rewrites an exit code as the exit status reference pages speak of', () => {
    expect(normaliseQuestion('Which exit code means the pond is locked? Any return codes?')).toBe(
      'Which exit status means the pond is locked? Any exit status?',
    );
  });
});
