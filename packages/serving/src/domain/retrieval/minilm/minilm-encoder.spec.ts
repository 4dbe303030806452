import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MiniLmEncoder } from './minilm-encoder.js';
import { cosineSimilarity } from '@llmops/providers';

/**
 * The fixture model (`write-minilm.py fixture`): the architecture of all-MiniLM-L6-v2 at a tiny size (2 layers,
 * hidden 32, 4 heads, a feed-forward of 64, the fixture texts' 482 pieces), random weights quantised as the real file
 * is, and for each of the 60 texts the unit vector of a plain numpy forward pass (float64) over the same int8 weights.
 */
const fixtures = join(__dirname, '__fixtures__');
const expected = JSON.parse(readFileSync(join(fixtures, 'minilm-fixture.json'), 'utf8')) as {
  text: string;
  ids: number[];
  vector: number[];
}[];
const encoder = new MiniLmEncoder(readFileSync(join(fixtures, 'minilm-fixture.bin')), 'minilm-fixture.bin');

describe('MiniLmEncoder', () => {
  it('gives the vectors of the numpy forward pass for every fixture text', () => {
    const worst = { cosine: 1, difference: 0 };
    for (const row of expected) {
      const vector = encoder.encode(row.text);
      expect(vector).toHaveLength(32);
      worst.cosine = Math.min(worst.cosine, cosineSimilarity(vector, row.vector));
      row.vector.forEach((value, index) => {
        worst.difference = Math.max(worst.difference, Math.abs(value - (vector[index] as number)));
      });
    }
    expect(worst.cosine).toBeGreaterThan(0.99999);
    expect(worst.difference).toBeLessThan(1e-4);
  });

  it('gives unit vectors that differ between texts and depend on word order', () => {
    const [first, second] = [encoder.encode('copy a file'), encoder.encode('file a copy')];
    expect(Math.hypot(...first)).toBeCloseTo(1, 5);
    expect(cosineSimilarity(first, second)).toBeLessThan(0.999);
  });

  it('refuses more ids than it has positions, naming the file', () => {
    expect(() => encoder.encodeIds(new Array<number>(257).fill(1))).toThrow(
      /minilm-fixture\.bin: expected 1 to 256 ids/,
    );
  });
});
