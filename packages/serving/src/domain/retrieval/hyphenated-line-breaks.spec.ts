import { joinHyphenatedLineBreaks } from './hyphenated-line-breaks.js';

describe('joinHyphenatedLineBreaks', () => {
  it("joins a word that man hyphenated at a line end (U+2010), across the next line's indentation", () => {
    const rendered = ['       The parcel could not be de\u2010', '       livered to the depot.'].join('\n');
    expect(joinHyphenatedLineBreaks(rendered)).toBe('       The parcel could not be delivered to the depot.');
  });

  it('keeps ASCII hyphens at line ends (a compound word or an option written in the source) and the line break', () => {
    const source = ['       use --max-', '       depth and world-', '       writable'].join('\n');
    expect(joinHyphenatedLineBreaks(source)).toBe(source);
  });

  it('keeps a U+2010 break before a capital, and one inside a line', () => {
    const text = 'see Foo\u2010\nBar and x\u2010y';
    expect(joinHyphenatedLineBreaks(text)).toBe(text);
  });
});
