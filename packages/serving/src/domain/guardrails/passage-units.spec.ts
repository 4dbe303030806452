import { passageSentenceUnitsOf, passageSentencesOf, passageUnitsOf, wordWindowsOf } from './passage-units.js';

describe('passage units', () => {
  it('splits sentences so that joining them gives the text back', () => {
    const text = 'Write to help@example.com today. It works!\nA line without a stop\nDone?';
    const sentences = passageSentencesOf(text);
    expect(sentences.join('')).toBe(text);
    expect(passageSentenceUnitsOf(text)).toEqual([
      'Write to help@example.com today.',
      'It works!',
      'A line without a stop',
      'Done?',
    ]);
    expect(passageSentenceUnitsOf('One sentence only.')).toEqual([]);
  });

  it('reads a long text as overlapping windows, half a window apart, the last ending at the last word', () => {
    const words = Array.from({ length: 10 }, (_, index) => `w${index}`);
    expect(wordWindowsOf(words.join(' '), 4)).toEqual(['w0 w1 w2 w3', 'w2 w3 w4 w5', 'w4 w5 w6 w7', 'w6 w7 w8 w9']);
    expect(wordWindowsOf(words.join('  \n'), 10)).toEqual([]);
    expect(wordWindowsOf('w0 w1 w2 w3 w4', 4)).toEqual(['w0 w1 w2 w3', 'w1 w2 w3 w4']);
  });

  it('windows only the sentences longer than a window, and leaves the passage itself out', () => {
    const short = 'Open Settings.';
    const long = 'one two three four five six seven eight nine ten.';
    expect(passageUnitsOf(`${short} ${long}`, 6)).toEqual([
      short,
      long,
      'one two three four five six',
      'four five six seven eight nine',
      'five six seven eight nine ten.',
    ]);
    expect(passageUnitsOf(long, 6)).toHaveLength(3);
    expect(passageUnitsOf(short, 6)).toEqual([]);
  });
});
