import { countTokens, splitSentences } from '@llmops/providers';
import { chunkDocument } from './text-chunker.js';

const tools = { countTokens: (text: string) => countTokens(text), splitSentences };

function sentences(count: number): string {
  return Array.from(
    { length: count },
    (_, index) => `Sentence number ${index + 1} talks about topic ${index + 1} in a few words.`,
  ).join(' ');
}

describe('chunkDocument', () => {
  it('keeps a short document in one passage with its heading and a stable id', () => {
    const passages = chunkDocument(
      { source: 'faq.md', text: '# FAQ\n\nShort answer here.\n' },
      { chunkTokens: 100, overlapTokens: 10 },
      tools,
    );
    expect(passages).toEqual([
      {
        id: 'faq.md#1',
        source: 'faq.md',
        text: 'Short answer here.',
        title: 'FAQ',
        kind: 'text',
        tokens: countTokens('Short answer here.'),
      },
    ]);
  });

  it('cuts long text into passages no larger than chunkTokens, at sentence boundaries, with overlap', () => {
    const text = sentences(40);
    const passages = chunkDocument({ source: 'long.md', text }, { chunkTokens: 60, overlapTokens: 20 }, tools);
    expect(passages.length).toBeGreaterThan(5);
    for (const passage of passages) {
      expect(passage.tokens).toBeLessThanOrEqual(60);
      expect(passage.tokens).toBe(countTokens(passage.text));
      expect(passage.text).toMatch(/^Sentence number \d+ .*words\.$/);
    }
    // Each passage starts with the last sentence of the one before (the overlap).
    for (let index = 1; index < passages.length; index += 1) {
      const previous = splitSentences((passages[index - 1] as { text: string }).text);
      expect((passages[index] as { text: string }).text.startsWith(previous[previous.length - 1] as string)).toBe(true);
    }
    expect(passages.map((passage) => passage.id)).toEqual(passages.map((_, index) => `long.md#${index + 1}`));
    // Every sentence is in some passage.
    for (const sentence of splitSentences(text))
      expect(passages.some((passage) => passage.text.includes(sentence))).toBe(true);
  });

  it('gives no overlap when overlapTokens is 0', () => {
    const passages = chunkDocument(
      { source: 'a.md', text: sentences(20) },
      { chunkTokens: 50, overlapTokens: 0 },
      tools,
    );
    const all = passages.flatMap((passage) => splitSentences(passage.text));
    expect(new Set(all).size).toBe(all.length);
  });

  it('splits a sentence longer than a passage between words', () => {
    const text = Array.from({ length: 300 }, (_, index) => `word${index}`).join(' ');
    const passages = chunkDocument({ source: 'run-on.txt', text }, { chunkTokens: 40, overlapTokens: 0 }, tools);
    expect(passages.length).toBeGreaterThan(3);
    for (const passage of passages) expect(passage.tokens).toBeLessThanOrEqual(40);
    expect(passages.map((passage) => passage.text).join(' ')).toBe(text);
  });

  it('files passages under the heading above them and prefers the document id in passage ids', () => {
    const text = '# Guide\n\nIntro text.\n\n## Setup\n\nInstall it.';
    const passages = chunkDocument(
      { source: 'guide.md', id: 'doc-7', text },
      { chunkTokens: 16, overlapTokens: 0 },
      tools,
    );
    expect(passages.map((passage) => [passage.id, passage.title, passage.section, passage.text])).toEqual([
      ['doc-7#1', 'Guide', undefined, 'Intro text.'],
      ['doc-7#2', 'Guide', 'Setup', 'Install it.'],
    ]);
  });

  it('rejects settings out of range, naming them', () => {
    expect(() => chunkDocument({ source: 'x', text: 'y' }, { chunkTokens: 8, overlapTokens: 0 }, tools)).toThrow(
      'chunkTokens is 8; expected an integer >= 16',
    );
    expect(() => chunkDocument({ source: 'x', text: 'y' }, { chunkTokens: 50, overlapTokens: 50 }, tools)).toThrow(
      /overlapTokens is 50/,
    );
  });
});
