import { TerminationCheck } from './termination.js';
import type { RunProgress } from './termination.js';

const progress = (overrides: Partial<RunProgress> = {}): RunProgress => ({
  messages: 1,
  tokens: 0,
  elapsedMs: 0,
  last: { source: 'user', content: 'What is 2 + 2?' },
  ...overrides,
});

describe('TerminationCheck', () => {
  it('ends at the maximum number of messages', () => {
    const check = new TerminationCheck({ maxMessages: 3, combine: 'any' });
    expect(check.check(progress({ messages: 2 }))).toBeUndefined();
    expect(check.check(progress({ messages: 3 }))).toEqual({
      conditions: ['max_messages'],
      message: 'maximum number of messages 3 reached, current message count: 3',
    });
  });

  it('ends when an agent, not the user, mentions the text', () => {
    const check = new TerminationCheck({ textMention: 'TERMINATE', combine: 'any' });
    expect(check.check(progress({ last: { source: 'user', content: 'say TERMINATE' } }))).toBeUndefined();
    expect(check.check(progress({ last: { source: 'writer', content: 'Done. TERMINATE' } }))?.conditions).toEqual([
      'text_mention',
    ]);
  });

  it('ends at the token budget, the timeout and a handoff to the target', () => {
    expect(new TerminationCheck({ tokenBudget: 500, combine: 'any' }).check(progress({ tokens: 499 }))).toBeUndefined();
    expect(new TerminationCheck({ tokenBudget: 500, combine: 'any' }).check(progress({ tokens: 512 }))?.message).toBe(
      'token usage limit reached: 512 tokens of a budget of 500',
    );
    expect(
      new TerminationCheck({ timeoutMs: 1000, combine: 'any' }).check(progress({ elapsedMs: 1000 }))?.conditions,
    ).toEqual(['timeout']);
    const handoff = new TerminationCheck({ handoff: 'user', combine: 'any' });
    expect(handoff.check(progress({ last: { source: 'a', content: '', handoffTo: 'b' } }))).toBeUndefined();
    expect(handoff.check(progress({ last: { source: 'a', content: '', handoffTo: 'user' } }))?.message).toBe(
      'handoff to user from a detected',
    );
  });

  it('combines with any (the first met) or all (each met at some point)', () => {
    const any = new TerminationCheck({ maxMessages: 5, textMention: 'TERMINATE', combine: 'any' });
    expect(any.check(progress({ messages: 2, last: { source: 'a', content: 'TERMINATE' } }))?.conditions).toEqual([
      'text_mention',
    ]);
    const all = new TerminationCheck({ maxMessages: 3, textMention: 'TERMINATE', combine: 'all' });
    expect(all.check(progress({ messages: 2, last: { source: 'a', content: 'TERMINATE' } }))).toBeUndefined();
    expect(all.check(progress({ messages: 3, last: { source: 'b', content: 'more' } }))).toEqual({
      conditions: ['text_mention', 'max_messages'],
      message: "text 'TERMINATE' mentioned; maximum number of messages 3 reached, current message count: 3",
    });
    expect(new TerminationCheck({ combine: 'all' }).check(progress())).toBeUndefined();
  });
});
