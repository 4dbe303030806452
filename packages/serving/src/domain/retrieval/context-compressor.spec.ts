import { analyzeText, countTokens, splitSentences } from '@llmops/providers';
import { compressPassages } from './context-compressor.js';
import type { ScoredPassage } from './passage.js';

const tools = { terms: analyzeText, idf: () => 1, splitSentences, countTokens: (text: string) => countTokens(text) };

function passage(id: string, text: string, extra: Partial<ScoredPassage> = {}): ScoredPassage {
  return { id, source: `${id}.md`, text, tokens: countTokens(text), score: 1, ...extra };
}

describe('compressPassages', () => {
  it('keeps the answering sentence and the one that continues it, and drops the rest', () => {
    const text =
      'Offline mode works on desktop. Attachments are stored offline up to 50 MB. This limit applies per file. ' +
      'Search works on stored pages.';
    const result = compressPassages('How large can attachments be offline?', [passage('offline', text)], {
      settings: { keepRatio: 0.6 },
      tools,
    });
    expect(result.passages.map((kept) => kept.text)).toEqual([
      'Attachments are stored offline up to 50 MB. This limit applies per file.',
    ]);
    expect(result.compression).toEqual([{ id: 'offline', units: 4, kept: 2 }]);
    expect(result.passages[0]?.tokens).toBe(countTokens(result.passages[0]?.text ?? ''));
  });

  it('keeps an entry whole or not at all, and leaves out passages with nothing that bears on the question', () => {
    const entry = passage('retries', '--retries=N Try each shard again. The default is 5.', { kind: 'entry' });
    const other = passage('colours', 'The theme can be dark or light.');
    const result = compressPassages('how many retries per shard', [entry, other], {
      settings: { keepRatio: 0.5 },
      tools,
    });
    expect(result.passages).toEqual([entry]);
    expect(result.compression).toEqual([
      { id: 'retries', units: 1, kept: 1 },
      { id: 'colours', units: 1, kept: 0 },
    ]);
  });

  it('keeps or drops each entry of a packed entry passage whole', () => {
    const packed = passage(
      'options',
      '--retries=N Try each shard again. The default is 5.\n--jobs=N Send N shards at once.\n--quiet Print only errors.',
      { kind: 'entry', section: 'OPTIONS › --retries=N; --jobs=N; --quiet' },
    );
    const result = compressPassages('how many retries per shard', [packed], { settings: { keepRatio: 0.9 }, tools });
    expect(result.passages.map((kept) => kept.text)).toEqual(['--retries=N Try each shard again. The default is 5.']);
    expect(result.compression).toEqual([{ id: 'options', units: 3, kept: 1 }]);
  });
});

describe("compressPassages with the answerer's support", () => {
  const settings = { keepRatio: 0.55, method: 'support' as const };

  it('keeps the answering sentence with its title and section, and leaves out passages with nothing that bears on it', () => {
    const refunds = passage(
      'refunds',
      'You can cancel at any time. Annual subscriptions are refunded in full within 14 days of purchase. ' +
        'The workspace owner receives an email.',
      { title: 'Refunds and cancellation', section: 'Annual plans' },
    );
    const themes = passage('themes', 'The editor has a dark theme and a light theme.', { title: 'Themes' });
    const result = compressPassages('Are annual subscriptions refunded?', [refunds, themes], { settings, tools });
    expect(result.passages).toEqual([
      {
        ...refunds,
        text: 'Annual subscriptions are refunded in full within 14 days of purchase.',
        tokens: countTokens('Annual subscriptions are refunded in full within 14 days of purchase.'),
      },
    ]);
    expect(result.compression).toEqual([
      { id: 'refunds', units: 3, kept: 1 },
      { id: 'themes', units: 1, kept: 0 },
    ]);
  });

  it('meets a question word in another form of its word family, which plain overlap misses', () => {
    const levels = passage(
      'levels',
      'Shards are sent in parallel. Bales are compressed at level 3 unless a setting says otherwise.',
      { title: 'skerry.conf(5)' },
    );
    const question = 'What compression level do bales use?';
    const support = compressPassages(question, [levels], { settings, tools });
    expect(support.passages.map((kept) => kept.text)).toEqual([
      'Bales are compressed at level 3 unless a setting says otherwise.',
    ]);
  });

  it("keeps an entry of a packed entry passage whole, scored without its neighbours' terms in the section path", () => {
    const packed = passage(
      'options',
      '--retries=N Try each shard again. The default is 5.\n--jobs=N Send N shards at once.\n--quiet Print only errors.',
      { kind: 'entry', title: 'skerry-ship(1)', section: 'OPTIONS › --retries=N; --jobs=N; --quiet' },
    );
    const result = compressPassages('how many retries per shard', [packed], { settings, tools });
    expect(result.passages).toEqual([
      {
        ...packed,
        text: '--retries=N Try each shard again. The default is 5.',
        tokens: countTokens('--retries=N Try each shard again. The default is 5.'),
      },
    ]);
  });

  it('keeps the exit-status entry whose number the question names, although it shares no other word with the question', () => {
    const statuses = passage(
      'statuses',
      '0 No differences were found.\n1 Differences were found.\n2 Something went wrong: a usage error or an unreachable depot.',
      { kind: 'entry', title: 'skerry-diff(1)', section: 'EXIT STATUS › 0; 1; 2' },
    );
    const question = 'Why does skerry diff exit with 1 even though nothing went wrong?';
    const kept = compressPassages(question, [statuses], { settings, tools }).passages.map((one) => one.text);
    expect(kept).toEqual(['1 Differences were found.\n2 Something went wrong: a usage error or an unreachable depot.']);
    // Without a number in the question, the status entries are scored like any other unit.
    const unnumbered = compressPassages('Which exit status means something went wrong in skerry diff?', [statuses], {
      settings,
      tools,
    });
    expect(unnumbered.passages.map((one) => one.text)).toEqual([
      '2 Something went wrong: a usage error or an unreachable depot.',
    ]);
  });

  it('never gives an empty context when passages were retrieved: with no unit holding a question term, the first passage stays whole', () => {
    const first = passage('first', 'Pages can be shared by link. Links expire after 30 days.', { title: 'Sharing' });
    const second = passage('second', 'Exports are PDF or Markdown.', { title: 'Export' });
    const result = compressPassages('What about zebras?', [first, second], { settings, tools });
    expect(result.passages).toEqual([first]);
  });
});
