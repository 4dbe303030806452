import { matchedReferences, matchesReference, passageText } from './reference-match.js';

describe('matchesReference', () => {
  const reference = 'Skerry finds the yard by walking up from the current directory.';

  it('matches a passage containing the reference after collapsing whitespace and case', () => {
    expect(
      matchesReference('Intro.\nSKERRY finds the yard   by walking\n up from the current directory. More.', reference),
    ).toBe(true);
  });

  it('matches a passage covering 80 % of the reference words, not one covering less', () => {
    // 11 word tokens in the reference; 9 covered (0.82), then 7 (0.64).
    expect(matchesReference('skerry finds the yard by walking from current', reference)).toBe(true);
    expect(matchesReference('skerry finds the yard by walking', reference)).toBe(false);
  });

  it('strips the "title › section" location line before matching', () => {
    const words = 'skerry finds yard walking current directory up from by the';
    expect(passageText(`skerry(1) › DESCRIPTION\n${'text'}`)).toBe('text');
    expect(passageText('no location\ntext')).toBe('no location\ntext');
    // the location line alone would lift coverage over 80 %; stripped, the passage covers nothing
    expect(matchesReference(`${words} › SECTION\nunrelated passage`, reference)).toBe(false);
  });

  it('never matches an empty reference', () => {
    expect(matchesReference('anything', '  ')).toBe(false);
  });

  it('gives, per retrieved passage, the first reference it matches', () => {
    expect(matchedReferences(['b text', 'nothing', 'a text here'], ['a text', 'b text'])).toEqual([1, -1, 0]);
  });
});
