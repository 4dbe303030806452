import { splitSentences } from './sentence-splitter.js';

describe('splitSentences', () => {
  it('splits after sentence punctuation followed by a capital, a digit or a quote', () => {
    expect(splitSentences('Refunds take 14 days. Store credit is instant! Is it free? "Yes." 3 items max.')).toEqual([
      'Refunds take 14 days.',
      'Store credit is instant!',
      'Is it free?',
      '"Yes."',
      '3 items max.',
    ]);
  });

  it('does not split after abbreviations, decimals or lower-case continuations', () => {
    expect(splitSentences('Ask Dr. Smith about it, e.g. Monday. The fee is 2.5 percent. see the docs. End')).toEqual([
      'Ask Dr. Smith about it, e.g. Monday.',
      'The fee is 2.5 percent. see the docs.',
      'End',
    ]);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences('  \n ')).toEqual([]);
  });
});
