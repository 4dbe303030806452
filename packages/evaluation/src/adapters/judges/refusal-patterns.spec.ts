import fc from 'fast-check';
import { looksLikeRefusal, refusalPatterns } from './refusal-patterns.js';

/** The definition the combined pattern must keep: some pattern matches the head, lower-cased, apostrophes straight. */
function anyPatternMatches(text: string): boolean {
  const head = text.slice(0, 300).toLowerCase().replace(/[’‘`]/g, "'");
  return head.trim() !== '' && refusalPatterns.some((pattern) => pattern.test(head));
}

const phrases = [
  "I don't know",
  'I’m not sure',
  'i cannot',
  'unable to help',
  "I don't have any information",
  'no information about',
  "doesn't mention any details",
  'not covered by the provided context',
  "Sorry, I can't",
  "I'm not going to",
  'violates our policy',
  'this request was blocked',
  'Refunds take 14 days.',
  'The parcel is back',
  'I can help',
  'not able to',
  '.',
  ' ',
];

describe('looksLikeRefusal', () => {
  it.each([
    ["I'm sorry, but I can't help with that.", true],
    ['The document does not contain any information on the warranty.', true],
    ['I’m unable to answer from the given sources.', true],
    ['Refunds are issued within 14 days once the parcel is back.', false],
    ['', false],
  ])('%j -> %s', (text, expected) => {
    expect(looksLikeRefusal(text)).toBe(expected);
  });

  it('answers as the patterns one by one, for texts made of refusal phrases, ordinary ones and noise', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...phrases), fc.string({ maxLength: 12 })), { maxLength: 8 }),
        fc.integer({ min: 0, max: 320 }),
        (parts, padding) => {
          // Padding pushes phrases past the 300 characters looked at, so the cut-off is exercised too.
          const text = `${'x '.repeat(padding / 2)}${parts.join(' ')}`;
          expect(looksLikeRefusal(text)).toBe(anyPatternMatches(text));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
