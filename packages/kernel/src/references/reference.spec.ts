import fc from 'fast-check';
import { LlmopsError } from '../errors/llmops-error.js';
import { assertValidName, formatReference, isValidName, maxNameLength, parseReference } from './reference.js';
import type { Reference } from './reference.js';

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

  // A new user sent model "offline/extractive" to /v1/chat/completions and read only that "extractive" is not a whole
  // number (2026-12-01 walkthrough).
  it('says a provider spec where a registered model is wanted is one, and a bad number is not', () => {
    expect(invalid('offline/extractive')).toMatch(
      /version "extractive" is not a whole number from 1 upwards; .*; "offline\/extractive" looks like a provider spec \(provider\/model\), which is not a registered model: register a version that uses it/,
    );
    expect(invalid('bot/0')).not.toMatch(/provider spec/);
  });

  it('rejects overlong names', () => {
    expect(() => assertValidName('x'.repeat(65))).toThrow(/longer than 64 characters/);
    expect(assertValidName('x'.repeat(64))).toBe('x'.repeat(64));
  });
});

describe('the name rule', () => {
  it.each([
    ['..', /starts with \. or -/],
    ['.hidden', /starts with \. or -/],
    ['-1', /starts with \. or -/],
    ['-rf', /starts with \. or -/],
    ['7', /is a number/],
    ['1e3', /is a number/],
    ['0x10', /is a number/],
    ['1.5', /is a number/],
    ['null', /is a reserved word/],
    ['NULL', /is a reserved word/],
    ['true', /is a reserved word/],
    ['undefined', /is a reserved word/],
    ['x'.repeat(65), /is longer than 64 characters/],
    ['a/b', /has characters outside/],
    ['', /is empty/],
  ])('refuses %s', (name, reason) => {
    expect(isValidName(name)).toBe(false);
    expect(() => assertValidName(name, 'prompt name')).toThrow(reason);
  });

  it.each(['support-bot', 'a', '_x', 'v1.2', 'gpt-4o_mini', '7up', 'x'.repeat(64), 'nullable'])(
    'accepts %s',
    (name) => {
      expect(isValidName(name)).toBe(true);
    },
  );

  it('keeps long refused values out of the message beyond 40 characters', () => {
    expect(() => assertValidName('y'.repeat(500))).toThrow(/^name "y{40}…" is longer/);
  });
});

const nameCharacter = fc.constantFrom(...'abcXYZ019_.-'.split(''));
const validName = fc.string({ unit: nameCharacter, minLength: 1, maxLength: maxNameLength }).filter(isValidName);

describe('properties of names and references', () => {
  it('refuses every name holding a character outside the set, or longer than 64', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ unit: fc.constantFrom(' ', '/', '@', ':', '\u00e9', '\n', '\u0000') }),
        (prefix, bad) => {
          fc.pre(bad.length > 0);
          expect(isValidName(`a${prefix}${bad}`)).toBe(false);
        },
      ),
    );
    fc.assert(
      fc.property(fc.string({ unit: nameCharacter, minLength: maxNameLength + 1, maxLength: 200 }), (long) => {
        expect(isValidName(long)).toBe(false);
      }),
    );
  });

  it('refuses every number and everything starting with . or -', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), (value) => {
        expect(isValidName(String(value))).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom('.', '-'), fc.string({ unit: nameCharacter, maxLength: 20 }), (first, rest) => {
        expect(isValidName(`${first}${rest}`)).toBe(false);
      }),
    );
  });

  it('checks any text with invalid_input or accepts it, never another error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        try {
          expect(assertValidName(text)).toBe(text);
        } catch (error) {
          expect(LlmopsError.isInstance(error) && error.code).toBe('invalid_input');
        }
      }),
    );
  });

  it('parses what it formats, for every valid name, alias and version', () => {
    const reference: fc.Arbitrary<Reference> = fc.oneof(
      validName.map((name) => ({ kind: 'latest' as const, name })),
      fc
        .tuple(validName, fc.integer({ min: 1, max: 9_999_999_999 }))
        .map(([name, version]) => ({ kind: 'version' as const, name, version })),
      fc
        .tuple(
          validName,
          validName.filter((alias) => alias !== 'latest'),
        )
        .map(([name, alias]) => ({ kind: 'alias' as const, name, alias })),
    );
    fc.assert(
      fc.property(reference, (value) => {
        expect(parseReference(formatReference(value))).toEqual(value);
      }),
    );
  });

  it('parses any text into a reference that formats back to a parseable one, or refuses it with invalid_input', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: fc.constantFrom(...'ab1_.-@/ '.split('')), maxLength: 30 }),
    );
    fc.assert(
      fc.property(text, (input) => {
        let parsed: Reference;
        try {
          parsed = parseReference(input);
        } catch (error) {
          expect(LlmopsError.isInstance(error) && error.code).toBe('invalid_input');
          return;
        }
        expect(isValidName(parsed.name)).toBe(true);
        expect(parseReference(formatReference(parsed))).toEqual(parsed);
      }),
    );
  });
});
