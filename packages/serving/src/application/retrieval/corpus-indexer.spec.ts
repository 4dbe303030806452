import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@llmops/kernel';
import { OfflineLexicalEmbedder } from '@llmops/providers';
import { FileCorpusSource } from '../../adapters/file-system/file-corpus-source.js';
import { FileIndexStore } from '../../adapters/file-system/file-index-store.js';
import { InMemoryIndexStore } from '../../testing/in-memory-index-store.js';
import type { StoredIndex } from '../../ports.js';
import { CorpusIndexer, LiveCorpusIndex, storedIndexFormat } from './corpus-indexer.js';

const fixtures = join(__dirname, '..', '..', '__fixtures__');
const chunking = { strategy: 'tokens', maxTokens: 80, overlapTokens: 16 } as const;

function workspace(): { root: string; indexes: string } {
  const root = mkdtempSync(join(tmpdir(), 'llmops-indexer-'));
  cpSync(join(fixtures, 'kb'), join(root, 'kb'), { recursive: true });
  return { root, indexes: join(root, '.llmops', 'indexes') };
}

describe('CorpusIndexer', () => {
  it('builds an index once and persists it; an unchanged corpus is loaded, not re-indexed', async () => {
    const { root, indexes } = workspace();
    const first = await new CorpusIndexer({
      source: new FileCorpusSource({ root }),
      store: new FileIndexStore({ directory: indexes }),
    }).index({ corpus: 'kb', chunking });
    expect(first.built).toBe(true);
    expect(first.index.passages.length).toBeGreaterThan(4);
    const [file] = readdirSync(indexes);
    expect(file).toBe(`${first.key}.json`);
    const writtenAt = statSync(join(indexes, file as string)).mtimeMs;

    // A new process (a new indexer over the same directory) loads what was built.
    const second = await new CorpusIndexer({
      source: new FileCorpusSource({ root }),
      store: new FileIndexStore({ directory: indexes }),
    }).index({ corpus: 'kb', chunking });
    expect([second.built, second.key]).toEqual([false, first.key]);
    expect(second.index.passages).toEqual(first.index.passages);
    expect(statSync(join(indexes, file as string)).mtimeMs).toBe(writtenAt);
    expect(readdirSync(indexes)).toHaveLength(1);
  });

  it('redacts personal data before chunking when asked: the persisted index holds placeholders only', async () => {
    const { root, indexes } = workspace();
    writeFileSync(
      join(root, 'kb', 'contacts.md'),
      '# Contacts\n\nThe returns desk is Marta: write to marta.quill@quillmend.example or call 0151 23456789.\n',
    );
    const indexer = new CorpusIndexer({
      source: new FileCorpusSource({ root }),
      store: new FileIndexStore({ directory: indexes }),
    });
    const plain = await indexer.index({ corpus: 'kb', chunking });
    const redacted = await indexer.index({ corpus: 'kb', chunking, redactPii: true });
    expect(redacted.key).not.toBe(plain.key);
    const contacts = redacted.index.passages.find((passage) => passage.source === 'contacts.md');
    expect(contacts?.text).toContain('write to [REDACTED_EMAIL] or call [REDACTED_PHONE].');
    const stored = readFileSync(join(indexes, `${redacted.key}.json`), 'utf8');
    expect(stored).not.toContain('marta.quill');
    expect(stored).not.toContain('23456789');
    expect(JSON.parse(stored)).toMatchObject({ piiRedacted: true });
    // The plain index (redaction off, the default) keeps the corpus as written.
    expect(readFileSync(join(indexes, `${plain.key}.json`), 'utf8')).toContain('marta.quill@quillmend.example');
  });

  it('rebuilds when a file changes, and when the chunking changes', async () => {
    const { root } = workspace();
    const store = new InMemoryIndexStore();
    const indexer = new CorpusIndexer({ source: new FileCorpusSource({ root }), store });
    const before = await indexer.index({ corpus: 'kb', chunking });
    expect((await indexer.index({ corpus: 'kb', chunking })).built).toBe(false);
    expect(store.saves).toBe(1);
    writeFileSync(join(root, 'kb', 'shipping.md'), '# Shipping\n\nStandard orders now ship within one business day.\n');
    const after = await indexer.index({ corpus: 'kb', chunking });
    expect(after.built).toBe(true);
    expect(after.key).not.toBe(before.key);
    expect(after.index.passages.some((passage) => passage.text.includes('one business day'))).toBe(true);
    const rechunked = await indexer.index({
      corpus: 'kb',
      chunking: { strategy: 'tokens', maxTokens: 40, overlapTokens: 0 },
    });
    expect([rechunked.built, rechunked.key === after.key]).toEqual([true, false]);
    expect(store.saves).toBe(3);
  });

  it('finds the passage that answers a question, best first, with BM25 scores', async () => {
    const indexer = new CorpusIndexer({
      source: new FileCorpusSource({ root: fixtures }),
      store: new InMemoryIndexStore(),
    });
    const { index } = await indexer.index({ corpus: 'kb', chunking });
    const results = await index.search('How long do refunds take to arrive?', { k: 3 });
    // The document title is a BM25F field of every passage, so both passages of refunds.md lead; the
    // one under "Damaged items" also matches "arrive" (the reranker and compression sort that out).
    expect(results.slice(0, 2).map((result) => result.source)).toEqual(['refunds.md', 'refunds.md']);
    expect(
      results
        .slice(0, 2)
        .map((result) => result.text)
        .join(' '),
    ).toContain('Refunds are issued to the original payment method within 14 days');
    expect(results.map((result) => result.score)).toEqual(
      [...results.map((result) => result.score)].sort((left, right) => right - left),
    );
    expect(await index.search('quantum chromodynamics', { k: 3 })).toEqual([]);
  });

  it('keeps the vectors of a hybrid index with it and fuses both rankings', async () => {
    const store = new InMemoryIndexStore();
    const embedder = new OfflineLexicalEmbedder();
    const indexer = new CorpusIndexer({ source: new FileCorpusSource({ root: fixtures }), store });
    const built = await indexer.index({ corpus: 'kb', chunking, embedder });
    const stored = store.indexes.get(built.key);
    expect(Object.keys(stored?.embeddings ?? {})).toEqual(['offline/lexical']);
    expect(stored?.embeddings?.['offline/lexical']).toHaveLength(built.index.passages.length);
    const reloaded = await new CorpusIndexer({ source: new FileCorpusSource({ root: fixtures }), store }).index({
      corpus: 'kb',
      chunking,
      embedder,
    });
    expect(reloaded.built).toBe(false);
    const [best] = await reloaded.index.search('when is a tracking number emailed', { k: 2 });
    expect(best?.source).toBe('shipping.md');
    expect(best?.score).toBeCloseTo(2 / 61, 5);
  });

  it('rebuilds an index stored in format 4, whose offline/lexical vectors hold the stems before issue 11', async () => {
    const store = new InMemoryIndexStore();
    const embedder = new OfflineLexicalEmbedder();
    const indexer = () => new CorpusIndexer({ source: new FileCorpusSource({ root: fixtures }), store });
    const built = await indexer().index({ corpus: 'kb', chunking, embedder });
    const current = store.indexes.get(built.key) as StoredIndex;
    const stale = current.embeddings?.['offline/lexical']?.map((vector) => vector.map(() => 0)) ?? [];
    store.indexes.set(built.key, { ...current, formatVersion: 4, embeddings: { 'offline/lexical': stale } });

    const reindexed = await indexer().index({ corpus: 'kb', chunking, embedder });
    expect(reindexed.built).toBe(true);
    expect(store.indexes.get(built.key)?.formatVersion).toBe(storedIndexFormat);
    expect(store.indexes.get(built.key)?.embeddings?.['offline/lexical']).toEqual(
      current.embeddings?.['offline/lexical'],
    );
  });
});

describe('LiveCorpusIndex', () => {
  it('notices a changed corpus after the refresh interval, and reports the build once', async () => {
    const { root } = workspace();
    const clock = new ManualClock(1_000_000);
    const indexer = new CorpusIndexer({
      source: new FileCorpusSource({ root }),
      store: new InMemoryIndexStore(),
      clock,
    });
    const live = new LiveCorpusIndex({ indexer, request: { corpus: 'kb', chunking }, refreshIntervalMs: 2_000, clock });
    const first = await live.get();
    expect(first.built).toBe(true);
    expect((await live.get()).built).toBe(false);
    writeFileSync(
      join(root, 'kb', 'new-article.md'),
      '# Gift cards\n\nGift cards never expire and can be used on any order.\n',
    );
    clock.advance(1_000);
    expect((await live.get()).key).toBe(first.key);
    clock.advance(1_000);
    const refreshed = await live.get();
    expect([refreshed.built, refreshed.key === first.key]).toEqual([true, false]);
    expect((await refreshed.index.search('do gift cards expire', { k: 1 }))[0]?.source).toBe('new-article.md');
  });

  it('fails when the corpus cannot be read at first, and keeps the last good index afterwards', async () => {
    const { root } = workspace();
    const clock = new ManualClock(0);
    const indexer = new CorpusIndexer({
      source: new FileCorpusSource({ root }),
      store: new InMemoryIndexStore(),
      clock,
    });
    await expect(
      new LiveCorpusIndex({ indexer, request: { corpus: 'missing', chunking }, clock }).get(),
    ).rejects.toThrow(/corpus missing .* does not exist/);
    const live = new LiveCorpusIndex({ indexer, request: { corpus: 'kb', chunking }, refreshIntervalMs: 10, clock });
    const good = await live.get();
    writeFileSync(join(root, 'kb', 'broken.jsonl'), 'not json\n');
    clock.advance(20);
    expect((await live.get()).key).toBe(good.key);
  });
});
