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
