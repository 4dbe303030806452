import { formatContextPassages, parseContextPassages } from './context-passages.js';

describe('formatContextPassages', () => {
  it('writes numbered passages, one per line, with their sources', () => {
    expect(
      formatContextPassages([
        { source: 'docs/refunds.md', text: 'Refunds are issued\nwithin 14 days.' },
        { text: 'No source here.' },
      ]),
    ).toBe('Context:\n[1] (source: docs/refunds.md) Refunds are issued within 14 days.\n[2] No source here.');
  });

  it('rejects a passage without text', () => {
    expect(() => formatContextPassages([{ text: 'ok' }, { text: ' \n ' }])).toThrow(/passage 2 has no text/);
  });
});

describe('parseContextPassages', () => {
  it('reads back what formatContextPassages wrote, including sources with parentheses', () => {
    const passages = [
      { source: 'notes (draft).md', text: 'First passage.' },
      { source: '100%', text: 'Second passage.' },
      { text: 'Third passage.' },
    ];
    const text = `${formatContextPassages(passages)}\n\nQuestion: what?`;
    expect(parseContextPassages(text)).toEqual({
      passages: [
        { number: 1, source: 'notes (draft).md', text: 'First passage.' },
        { number: 2, source: '100%', text: 'Second passage.' },
        { number: 3, text: 'Third passage.' },
      ],
      remainder: 'Question: what?',
    });
  });

  it('keeps the numbers as written and leaves other text alone', () => {
    const parsed = parseContextPassages('Use these:\n[4] (source: a.md) Alpha.\n[7] Beta.\n[x] not a passage');
    expect(parsed.passages.map((passage) => passage.number)).toEqual([4, 7]);
    expect(parsed.remainder).toBe('Use these:\n[x] not a passage');
  });
});
