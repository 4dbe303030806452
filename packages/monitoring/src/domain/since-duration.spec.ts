import { LlmopsError } from '@llmops/kernel';
import { parseSinceDuration } from './since-duration.js';

describe('parseSinceDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
  ])('reads %p as %p ms', (text, expected) => {
    expect(parseSinceDuration(text)).toBe(expected);
  });

  it.each(['', '1', 'h', '0h', '-1h', '1.5h', '1y', '1 hour'])('rejects %p naming it', (text) => {
    let caught: unknown;
    try {
      parseSinceDuration(text);
    } catch (error) {
      caught = error;
    }
    expect(LlmopsError.isInstance(caught) && caught.code).toBe('invalid_input');
    expect((caught as Error).message).toContain(`--since "${text}"`);
  });
});
