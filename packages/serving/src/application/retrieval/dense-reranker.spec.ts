import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MiniLmEncoder } from '../../domain/retrieval/minilm/minilm-encoder.js';
import type { Passage } from '../../domain/retrieval/passage.js';
import { CorpusIndex } from './corpus-index.js';
import { DenseReranker } from './dense-reranker.js';
import { LexicalReranker } from './passage-retriever.js';

/** The tiny MiniLM of the encoder's tests: random weights, so the only cosine it makes meaningful is a text's with itself. */
const fixture = join(__dirname, '..', '..', 'domain', 'retrieval', 'minilm', '__fixtures__', 'minilm-fixture.bin');
const encoder = new MiniLmEncoder(readFileSync(fixture), 'minilm-fixture.bin');

function passage(id: string, text: string): Passage {
  return { id, source: `${id}.md`, text, tokens: text.split(' ').length };
}

/**
 * `long` repeats the question's words, so the lexical rerank puts it first; `exact` is the question's own text, the
 * passage whose vector is the question's (cosine 1) under any weights.
 */
const query = 'copy a file without overwriting';
const passages = [
  passage('long', 'copy a file without overwriting it: cp -n copies a file and never overwrites a file.'),
  passage('exact', query),
  passage('rsync', 'rsync copies a file tree'),
  passage('fox', 'The quick brown fox jumps over the lazy dog.'),
];
const index = new CorpusIndex(passages);

describe('DenseReranker', () => {
  it('lifts the passage whose vector is closest over one the lexical rerank put first, at the measured weight 0.15', async () => {
    const candidates = await index.search(query, { k: 4 });
    const lexical = await new LexicalReranker().rerank({ query, candidates, index });
    expect(lexical.slice(0, 2).map((entry) => entry.id)).toEqual(['long', 'exact']);
    const dense = await new DenseReranker({ lexical: new LexicalReranker(), encoder, weight: 0.15 }).rerank({
      query,
      candidates,
      index,
    });
    expect(dense.slice(0, 2).map((entry) => entry.id)).toEqual(['exact', 'long']);
    // The closest passage's scaled cosine is 1: its score is 0.85 × its lexical score + 0.15.
    const lexicalExact = lexical.find((entry) => entry.id === 'exact')?.score as number;
    expect(dense[0]?.score).toBeCloseTo(0.85 * lexicalExact + 0.15, 6);
  });

  it('embeds each passage text once and reuses its vector for later questions', async () => {
    const encoded: string[] = [];
    const counting = {
      encode: (text: string) => {
        encoded.push(text);
        return encoder.encode(text);
      },
    };
    const reranker = new DenseReranker({ lexical: new LexicalReranker(), encoder: counting, weight: 0.15 });
    const candidates = await index.search(query, { k: 4 });
    await reranker.rerank({ query, candidates, index });
    const first = encoded.length;
    expect(first).toBe(candidates.length + 1);
    await reranker.rerank({ query: 'copy a file', candidates, index });
    expect(encoded.length - first).toBe(1);
    expect(encoded.at(-1)).toBe('copy a file');
  });

  it('keeps at most `memory` passage vectors, dropping the oldest first', async () => {
    const encoded: string[] = [];
    const counting = {
      encode: (text: string) => {
        encoded.push(text);
        return encoder.encode(text);
      },
    };
    const reranker = new DenseReranker({ lexical: new LexicalReranker(), encoder: counting, weight: 0.15, memory: 2 });
    const candidates = await index.search(query, { k: 4 });
    await reranker.rerank({ query, candidates, index });
    encoded.length = 0;
    await reranker.rerank({ query, candidates, index });
    // Room for two of four: each passage pushes out one the next pass needs, so every one is embedded again (unbounded: 0).
    expect(encoded.length).toBe(1 + candidates.length);
  });

  it('returns no passages when the lexical rerank has none', async () => {
    const reranker = new DenseReranker({ lexical: new LexicalReranker(), encoder, weight: 0.15 });
    expect(await reranker.rerank({ query, candidates: [], index })).toEqual([]);
  });
});
