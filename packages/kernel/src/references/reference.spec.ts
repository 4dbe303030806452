import { LlmopsError } from '../errors/llmops-error.js';
import { assertValidName, formatReference, parseReference } from './reference.js';

function invalid(text: string): string {
  try {
    parseReference(text);
  } catch (error) {
    expect(LlmopsError.isInstance(error) && error.code).toBe('invalid_input');
    return (error as Error).message;
  }
  throw new Error(`expected "${text}" to be rejected`);
}

describe('parseReference', () => {
  it.each([
    ['support-bot', { kind: 'latest', name: 'support-bot' }],
    ['support-bot@champion', { kind: 'alias', name: 'support-bot', alias: 'champion' }],
    ['support-bot/7', { kind: 'version', name: 'support-bot', version: 7 }],
    ['a.b_c-1@previous-champion', { kind: 'alias', name: 'a.b_c-1', alias: 'previous-champion' }],
    ['bot@latest', { kind: 'latest', name: 'bot' }],
  ])('parses %s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
  });

  it.each(['support-bot', 'support-bot@champion', 'support-bot/12'])('formats %s back to itself', (text) => {
    expect(formatReference(parseReference(text))).toBe(text);
  });

  it('says which part of a bad reference is wrong', () => {
    expect(invalid('')).toMatch(/reference is empty/);
    expect(invalid('bad name@x')).toMatch(/name "bad name" has characters outside/);
    expect(invalid('bot@')).toMatch(/alias after "@" is empty/);
    expect(invalid('bot@cham pion')).toMatch(/alias "cham pion" has characters outside/);
    expect(invalid('bot/')).toMatch(/version "" is not a whole number/);
    expect(invalid('bot/0')).toMatch(/version "0" is not a whole number from 1 upwards/);
    expect(invalid('bot/1.5')).toMatch(/version "1.5"/);
    expect(invalid('bot/-3')).toMatch(/version "-3"/);
    expect(invalid('@champion')).toMatch(/name is empty/);
    expect(invalid('bot@champion/2')).toMatch(/both an alias \(@\) and a version \(\/\)/);
  });

  it('rejects overlong names', () => {
    expect(() => assertValidName('x'.repeat(257))).toThrow(/longer than 256 characters/);
  });
});
