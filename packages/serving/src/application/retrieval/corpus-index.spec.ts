import { countTokens, OfflineLexicalEmbedder } from '@llmops/providers';
import type { Passage } from '../../domain/retrieval/passage.js';
import { CorpusIndex } from './corpus-index.js';

function passage(index: number, text: string): Passage {
  return { id: `p#${index}`, source: `p${index}.md`, text, tokens: countTokens(text) };
}

/** 200 passages that all say "warranty" and "kettle", each with its own model code and city. */
const cities = ['Lyon', 'Porto', 'Ghent', 'Turin'];
const passages = Array.from({ length: 200 }, (_, index) =>
  passage(index + 1, `The kettle KT-${index + 1} has a warranty and ships from ${cities[index % 4]}.`),
);

describe('CorpusIndex', () => {
  it('ranks by the distinctive terms when common ones appear in nearly every passage', async () => {
    const index = new CorpusIndex(passages);
    const results = await index.search('What warranty does the kettle KT-137 have?', { k: 3 });
    expect(results[0]?.id).toBe('p#137');
    expect(results.length).toBeLessThanOrEqual(3);
  });

  it('still answers a query made only of common terms, best first, ties in corpus order', async () => {
    const results = await new CorpusIndex(passages).search('kettle warranty', { k: 5 });
    expect(results.map((result) => result.id)).toEqual(['p#1', 'p#2', 'p#3', 'p#4', 'p#5']);
    expect(results.every((result) => result.score > 0)).toBe(true);
  });

  it('returns at most k passages, best first, and none that share no term with the query', async () => {
    const index = new CorpusIndex(passages);
    const results = await index.search('ships from Porto', { k: 10 });
    expect(results).toHaveLength(10);
    expect(results.every((result) => result.text.includes('Porto'))).toBe(true);
    expect(await index.search('zeppelin', { k: 10 })).toEqual([]);
  });

  it("matches a question's exit code to an EXIT STATUS section and gives the index's tools the title rarity", async () => {
    const pages: Passage[] = [
      {
        ...passage(1, 'Normally the exit status is 1 if no lines were selected.'),
        title: 'grep(1)',
        section: 'EXIT STATUS',
      },
      {
        ...passage(2, 'With -m, grep stops after NUM lines; the code is in colour.'),
        title: 'grep(1)',
        section: 'OPTIONS',
      },
      { ...passage(3, 'Compression code is the default.'), title: 'gzip(1)', section: 'DESCRIPTION' },
    ];
    const index = new CorpusIndex(pages);
    const results = await index.search('What exit code does grep give when no lines are selected?', { k: 3 });
    expect(results[0]?.id).toBe('p#1');
    expect(index.lexical.terms('RETURN VALUE')).toEqual(['exit', 'status']);
    expect(index.lexical.titleRarity('gzip')).toBe(1);
    expect(index.lexical.titleRarity('kettle')).toBe(0);
  });

  it('fuses BM25 and embedding rankings in hybrid mode', async () => {
    const embedder = new OfflineLexicalEmbedder();
    const { embeddings } = await embedder.embed(passages.map((entry) => entry.text));
    const results = await new CorpusIndex(passages, { embedder, vectors: embeddings }).search('kettle KT-42 warranty', {
      k: 3,
    });
    expect(results[0]?.id).toBe('p#42');
    expect(results[0]?.score).toBeCloseTo(2 / 61, 5);
  });
});
