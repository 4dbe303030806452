import { normalizeForMatching } from './text-normalization.js';

describe('normalizeForMatching', () => {
  it.each([
    ['Cyrillic look-alikes', 'b\u043emb \u0430nd \u0440oison', ' bomb and poison '],
    ['Greek look-alikes', '\u03bfverride', ' override '],
    ['zero-width characters', 'b\u200bo\u200cm\u200db\ufeff', ' bomb '],
    ['soft hyphens', 'ex\u00adplo\u00adsives', ' explosives '],
    ['full-width letters', '\uff42\uff4f\uff4d\uff42', ' bomb '],
    ['combining marks', 'b\u0336o\u0336m\u0336b\u0336', ' bomb '],
    ['letters split by spaces, words by two', 'h o w  t o  m a k e  a  b o m b', ' how to make a bomb '],
    ['letters split by hyphens', 'm-a-k-e a b-o-m-b', ' make a bomb '],
    ['letters split by dots with spaces', 'k . i . l . l', ' kill '],
    ['leetspeak', 'h0w 2 m4k3 4 b0mb, k!ll, ki||ing', ' how 2 make 4 bomb kill killing '],
    ['leetspeak of several digits in a row', '573p', ' step '],
  ])('undoes %s', (_, text, expected) => {
    expect(normalizeForMatching(text)).toBe(expected);
  });

  it('does not glue fragments of words or ordinary words', () => {
    expect(normalizeForMatching('bo mb')).toBe(' bo mb ');
    expect(normalizeForMatching('a bomb is not a plan')).toBe(' a bomb is not a plan ');
    expect(normalizeForMatching('an e-mail to the x-ray team')).toBe(' an e mail to the x ray team ');
    expect(normalizeForMatching('h2o, 12yo, 3d print, 4k, 1st')).toBe(' h2o 12yo 3d print 4k 1st ');
  });
});
