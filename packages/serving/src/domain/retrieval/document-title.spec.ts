import { documentTitle } from './document-title.js';

const page = (nameLine: string) =>
  ['PACK(1)                  General Commands Manual                  PACK(1)', '', 'NAME', nameLine, ''].join('\n');

describe('documentTitle', () => {
  it("names a man page by its NAME line and the running header's section", () => {
    expect(documentTitle({ source: 'pack.txt', text: page('       pack - fold files into a bundle') })).toBe('pack(1)');
  });

  it('names a page for several commands by the first of them', () => {
    const text = page('       pack, unpack, packcat - fold files into a bundle or back');
    expect(documentTitle({ source: 'pack.txt', text })).toBe('pack(1)');
  });

  it("prefers the corpus's title, then a Markdown heading, and falls back to the file name", () => {
    expect(documentTitle({ source: 'a.txt', text: page('       pack - x'), title: 'Packing' })).toBe('Packing');
    expect(documentTitle({ source: 'a.md', text: 'intro\n# Bundles\ntext' })).toBe('Bundles');
    expect(documentTitle({ source: 'notes/plain.txt', text: 'no structure here' })).toBe('plain');
  });
});
