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
