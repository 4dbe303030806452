import { answerCues, normaliseQuestion, offersAnswer, offersKind, preferredKinds } from './answer-cues.js';

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

describe('default cues', () => {
  it.each([
    ['How many journal entries are shown by default?', true],
    ["How many lines does tail print if I don't say?", true],
    ["Which steps does a plan take if I haven't listed any?", true],
    ['What happens to a changed file when I unpack without extra options?', true],
    ['What is the default compression level?', true],
    ['How do I change the depot?', false],
    ['How many lines does tail print?', false],
  ])('reads %j as asking for a default: %s', (question, asksDefault) => {
    expect(answerCues(question).default).toBe(asksDefault);
  });

  it('reads "if I don\'t <verb>" as the default reference pages speak of', () => {
    expect(normaliseQuestion("How many lines does tail print if I don't say?")).toBe(
      'How many lines does tail print by default?',
    );
  });

  it('finds a default stated as a default, a condition of absence, or an exception', () => {
    const cues = answerCues('Which steps does a plan take if I do not list any?');
    expect(offersKind(cues, 'default', 'The default is bale,ship.')).toBe(true);
    expect(offersKind(cues, 'default', 'When that section is absent, prune keeps the last 7 bales.')).toBe(true);
    expect(offersKind(cues, 'default', 'A hold without --until lasts until it is released.')).toBe(true);
    expect(offersKind(cues, 'default', 'The steps are taken in order.')).toBe(false);
    expect(preferredKinds(cues, ['The default is bale,ship.', 'The steps are taken in order.'])).toEqual(['default']);
    expect(preferredKinds(cues, ['The steps are taken in order.'])).toEqual([]);
  });
});

describe('exit-status cues', () => {
  it('reads questions about an exit status, with the numbers they name', () => {
    expect(answerCues('What does rsync exit code 24 mean?')).toMatchObject({ status: true, numbers: ['24'] });
    expect(answerCues('Which exit status means the pond is locked?')).toMatchObject({ status: true, numbers: [] });
    expect(answerCues('How do I keep 3 buckets?')).toMatchObject({ status: false, numbers: [] });
  });

  it('finds a status in an exit-status entry or a sentence stating one, and a named number as a whole word', () => {
    const cues = answerCues('What does exit code 24 mean?');
    expect(offersKind(cues, 'status', '24 Partial transfer due to vanished source files')).toBe(true);
    expect(offersKind(cues, 'status', 'o 24 - Partial transfer due to vanished source files')).toBe(true);
    expect(offersKind(cues, 'status', 'It exits with status 2 when the pond is locked.')).toBe(true);
    expect(offersKind(cues, 'status', 'The sweep removes stale buckets.')).toBe(false);
    expect(offersKind(cues, 'number', '24 Partial transfer')).toBe(true);
    expect(offersKind(cues, 'number', '124 if COMMAND times out')).toBe(false);
  });

  it('prefers a kind only when some unit of the context offers it', () => {
    const cues = answerCues('What does exit code 24 mean?');
    expect(preferredKinds(cues, ['24 Partial transfer.', 'Statuses are listed below.'])).toEqual(['status', 'number']);
    expect(preferredKinds(cues, ['Statuses are listed below.'])).toEqual([]);
  });
});
