import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePassageVectorStore } from '../../adapters/file-system/file-passage-vector-store.js';
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

  describe('with passage vectors kept in a file beside the indexes', () => {
    let directory: string;
    let warnings: string[];
    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'dense-vectors-'));
      warnings = [];
    });
    afterEach(() => rmSync(directory, { recursive: true, force: true }));

    /** A reranker as a fresh process builds it: its own memory, the file of `corpus` under `weights`, counting encodes. */
    function freshReranker(options: { weights?: string; corpus?: string } = {}) {
      const encoded: string[] = [];
      const counting = {
        encode: (text: string) => {
          encoded.push(text);
          return encoder.encode(text);
        },
      };
      const store = new FilePassageVectorStore({
        directory,
        corpus: options.corpus ?? 'docs/',
        weights: options.weights ?? 'fixture-weights',
        onWarning: (message) => warnings.push(message),
      });
      return {
        reranker: new DenseReranker({ lexical: new LexicalReranker(), encoder: counting, weight: 0.15, store }),
        encoded,
      };
    }

    /** The lexical search finds three of the four passages (the fox shares no word with the question). */
    const candidateCount = 3;

    async function firstQuestion(reranker: DenseReranker, over: CorpusIndex = index) {
      const candidates = await over.search(query, { k: 4 });
      const ranked = await reranker.rerank({ query, candidates, index: over });
      await reranker.flush();
      return ranked;
    }

    it('embeds no passage again in a second process over the same corpus and weights, and ranks the same', async () => {
      const first = freshReranker();
      const before = await firstQuestion(first.reranker);
      expect(first.encoded).toHaveLength(1 + candidateCount);
      const second = freshReranker();
      const after = await firstQuestion(second.reranker);
      expect(second.encoded).toEqual([query]);
      expect(after).toEqual(before);
      expect(warnings).toEqual([]);
    });

    it('embeds again only the passage whose text changed', async () => {
      await firstQuestion(freshReranker().reranker);
      const changed = new CorpusIndex(
        passages.map((entry) => (entry.id === 'rsync' ? { ...entry, text: 'rsync copies a whole file tree' } : entry)),
      );
      const second = freshReranker();
      await firstQuestion(second.reranker, changed);
      expect(second.encoded).toEqual([query, 'rsync copies a whole file tree']);
    });

    it('does not reuse vectors made with other weights', async () => {
      await firstQuestion(freshReranker().reranker);
      const other = freshReranker({ weights: 'other-weights' });
      await firstQuestion(other.reranker);
      expect(other.encoded).toHaveLength(1 + candidateCount);
    });

    it('ignores a truncated file with a warning and embeds the passages again', async () => {
      await firstQuestion(freshReranker().reranker);
      const [file] = readdirSync(directory);
      truncateSync(join(directory, file as string), 100);
      const second = freshReranker();
      await firstQuestion(second.reranker);
      expect(second.encoded).toHaveLength(1 + candidateCount);
      expect(warnings).toEqual([
        expect.stringMatching(/ignored: 100 bytes where its header promises \d+ \(truncated\?\)/),
      ]);
    });

    it('keeps one file per corpus and weights, written whole (no temporary file left)', async () => {
      await firstQuestion(freshReranker().reranker);
      await firstQuestion(freshReranker({ corpus: 'other/' }).reranker);
      const files = readdirSync(directory);
      expect(files).toHaveLength(2);
      expect(files.every((name) => /^dense-[0-9a-f]{40}\.bin$/.test(name))).toBe(true);
    });
  });

  it('returns no passages when the lexical rerank has none', async () => {
    const reranker = new DenseReranker({ lexical: new LexicalReranker(), encoder, weight: 0.15 });
    expect(await reranker.rerank({ query, candidates: [], index })).toEqual([]);
  });
});
