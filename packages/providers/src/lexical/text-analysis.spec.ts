import { analyzeText, stem, tokenizeWords } from './text-analysis.js';

describe('text analysis', () => {
  it('tokenizes lower-cased words and numbers, folding accents', () => {
    expect(tokenizeWords('Café Déjà-vu: 14 DAYS, sign-in!')).toEqual([
      'cafe',
      'deja',
      'vu',
      '14',
      'days',
      'sign',
      'in',
    ]);
  });

  it('stems inflections of a word to the same term', () => {
    expect(new Set(['refund', 'refunds', 'refunded', 'refunding'].map(stem))).toEqual(new Set(['refund']));
    expect(new Set(['policy', 'policies'].map(stem))).toEqual(new Set(['polici']));
    expect(new Set(['issue', 'issues', 'issued'].map(stem))).toEqual(new Set(['issu']));
    expect(stem('running')).toBe('run');
    expect(stem('2024')).toBe('2024');
  });

  it.each([
    ['apply', 'appli'],
    ['applies', 'appli'],
    ['early', 'earli'],
    ['reply', 'repli'],
    ['supply', 'suppli'],
    ['fully', 'fulli'],
    ['simply', 'simpli'],
    ['assembly', 'assembl'],
    ['probably', 'probabl'],
    ['quickly', 'quick'],
    ['monthly', 'month'],
    ['securely', 'secur'],
    ['manually', 'manual'],
    ['previously', 'previous'],
    ['easily', 'easi'],
  ])('strips -ly only from an adverb: %s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it.each([
    ['string', 'string'],
    ['strings', 'string'],
    ['spring', 'spring'],
    ['shred', 'shred'],
    ['speed', 'speed'],
    ['feed', 'feed'],
    ['needed', 'need'],
  ])('keeps -ing and -ed with no vowel before, and -eed after none: %s → %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it.each([
    [['apply', 'applies', 'applied', 'applying']],
    [['reply', 'replies', 'replied', 'replying']],
    [['speed', 'speeds', 'speeding']],
    [['exceed', 'exceeds', 'exceeded', 'exceeding']],
    [['string', 'strings']],
    [['agree', 'agreed']],
    [['proceed', 'proceeds', 'proceeding']],
    [['probable', 'probably']],
    [['possible', 'possibly']],
    [['quick', 'quickly']],
    [['manual', 'manually']],
    [['easy', 'easily']],
  ])('stems the forms of one word to one term: %j', (words) => {
    expect(new Set(words.map(stem)).size).toBe(1);
  });

  it.each([
    ['apply', 'app'],
    ['applies', 'app'],
    ['early', 'ear'],
    ['reply', 'rep'],
    ['supply', 'sup'],
    ['fully', 'full'],
    ['string', 'str'],
    ['feed', 'fee'],
    ['seed', 'see'],
  ])('keeps different words apart: %s and %s', (first, second) => {
    expect(stem(first)).not.toBe(stem(second));
  });

  it('drops stopwords and one-letter words but keeps numbers', () => {
    expect(analyzeText('What is the refund window for 3 items of a order?')).toEqual([
      'refund',
      'window',
      '3',
      'item',
      'order',
    ]);
  });
});
