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

  it('reads the title and section path of a labelled passage, with parentheses in the title', () => {
    const parsed = parseContextPassages(
      'Context:\n[1] (skerry-ship(1) › OPTIONS) --jobs=N Send N shards.\n[2] (Billing › Plans › Refunds) (source: kb/billing.md) Refunds take 14 days.\n[3] (Glossary) Yard: the tree.',
    );
    expect(parsed.passages).toEqual([
      { number: 1, title: 'skerry-ship(1)', section: 'OPTIONS', text: '--jobs=N Send N shards.' },
      {
        number: 2,
        title: 'Billing',
        section: 'Plans › Refunds',
        source: 'kb/billing.md',
        text: 'Refunds take 14 days.',
      },
      { number: 3, text: '(Glossary) Yard: the tree.' },
    ]);
  });

  it('keeps a leading parenthesis that is not a label as text', () => {
    expect(parseContextPassages('[1] (Optional) Set a label.').passages).toEqual([
      { number: 1, text: '(Optional) Set a label.' },
    ]);
    expect(parseContextPassages('[2] (source: a.md) (unclosed text').passages).toEqual([
      { number: 2, source: 'a.md', text: '(unclosed text' },
    ]);
  });
});
