import { cosineSimilarity } from '../lexical/cosine-similarity.js';
import { OfflineLexicalEmbedder } from './offline-lexical-embedder.js';

describe('OfflineLexicalEmbedder', () => {
  const embedder = new OfflineLexicalEmbedder();

  it('is deterministic, 256-dimensional by default and L2-normalised', async () => {
    const { embeddings } = await embedder.embed([
      'Refunds are issued within 14 days.',
      'Refunds are issued within 14 days.',
    ]);
    expect(embeddings[0]).toHaveLength(256);
    expect(embeddings[0]).toEqual(embeddings[1]);
    expect(Math.hypot(...(embeddings[0] ?? []))).toBeCloseTo(1, 10);
    expect((await new OfflineLexicalEmbedder().embed(['Refunds are issued within 14 days.'])).embeddings[0]).toEqual(
      embeddings[0],
    );
  });

  it('scores texts sharing words as more similar than unrelated texts', async () => {
    const { embeddings } = await embedder.embed([
      'How long do refunds take?',
      'Refunds are issued within 14 days of the return.',
      'Express shipping delivers the next business day.',
    ]);
    const [query, related, unrelated] = embeddings as [number[], number[], number[]];
    expect(cosineSimilarity(query, related)).toBeGreaterThan(cosineSimilarity(query, unrelated));
    expect(cosineSimilarity(query, related)).toBeGreaterThan(0.2);
  });

  it('has a configurable dimension and reports token usage', async () => {
    const small = new OfflineLexicalEmbedder({ dimensions: 32 });
    const result = await small.embed(['hello world', '']);
    expect(result.embeddings.map((vector) => vector.length)).toEqual([32, 32]);
    expect(result.embeddings[1]?.every((value) => value === 0)).toBe(true);
    expect(result.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    expect(() => new OfflineLexicalEmbedder({ dimensions: 1 })).toThrow(/dimensions is 1/);
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for the same direction, 0 for orthogonal or zero vectors, -1 for opposite', () => {
    expect(cosineSimilarity([1, 2], [2, 4])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1);
  });

  it('rejects vectors of different lengths', () => {
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(/lengths 1 and 2/);
  });
});
