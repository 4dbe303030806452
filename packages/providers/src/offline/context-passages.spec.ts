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

  it('says what each passage is about, its title and section path, before its source', () => {
    expect(
      formatContextPassages([
        {
          source: 'skerry-ship.txt',
          title: 'skerry-ship(1)',
          section: 'OPTIONS › --retries=N, -r N',
          text: 'Try each shard again.',
        },
        { title: 'Refunds', text: 'Within 14 days.' },
      ]),
    ).toBe(
      'Context:\n[1] (skerry-ship(1) › OPTIONS › --retries=N, -r N; source: skerry-ship.txt) Try each shard again.\n' +
        '[2] (Refunds) Within 14 days.',
    );
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

  it('reads back title, section and source, with paired and unpaired parentheses', () => {
    const passages = [
      { source: 'man/ship.txt', title: 'skerry-ship(1)', section: 'OPTIONS › --all', text: 'Send to every depot.' },
      { source: 'a).md', title: 'Smile :)', text: 'Second.' },
      { source: 'b.md', title: 'Setup', section: 'Step (1', text: 'Third.' },
    ];
    expect(parseContextPassages(formatContextPassages(passages)).passages).toEqual(
      passages.map((passage, index) => ({ number: index + 1, ...passage })),
    );
  });

  it('leaves a parenthesis that opens the text of a passage without a header in the text', () => {
    expect(parseContextPassages('[1] (optional) A flag.').passages).toEqual([
      { number: 1, text: '(optional) A flag.' },
    ]);
  });

  it('keeps the numbers as written and leaves other text alone', () => {
    const parsed = parseContextPassages('Use these:\n[4] (source: a.md) Alpha.\n[7] Beta.\n[x] not a passage');
    expect(parsed.passages.map((passage) => passage.number)).toEqual([4, 7]);
    expect(parsed.remainder).toBe('Use these:\n[x] not a passage');
  });

  it('reads the title and section path of a labelled passage, with parentheses in the title', () => {
    const parsed = parseContextPassages(
      'Context:\n[1] (skerry-ship(1) › OPTIONS) --jobs=N Send N shards.\n[2] (Billing › Plans › Refunds; source: kb/billing.md) Refunds take 14 days.\n[3] (Glossary) Yard: the tree.',
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
