/**
 * The features the learned classifier reads: word unigrams, word bigrams and character 3-, 4- and
 * 5-grams of a normalised text (see `normalizeForMatching`), hashed into a fixed number of buckets
 * (FNV-1a, 32 bits) and scaled to unit length. Training (`tools/guardrails/train-classifier.ts`) and
 * serving call this one function, so the two can never read a text differently.
 */
export interface HashedFeatures {
  /** Bucket of each feature, ascending, without repeats. */
  indices: Uint32Array;
  /** Weight of each feature (presence, scaled so that the vector has length 1). */
  values: Float32Array;
}

const fnvOffset = 0x811c9dc5;
const fnvPrime = 0x01000193;

function hashRange(text: string, options: { start: number; end: number; seed: number }): number {
  let hash = (fnvOffset ^ options.seed) >>> 0;
  for (let index = options.start; index < options.end; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, fnvPrime);
  }
  return hash >>> 0;
}

/** Seeds keep the kinds of feature apart: the word `bomb` and the character 5-gram ` bomb` never share a bucket by construction. */
const seeds = { word: 0x9e3779b1, bigram: 0x85ebca6b, char: 0xc2b2ae35 } as const;

/** The longest text read in one piece; longer texts are scored window by window (see `LearnedClassifier`). */
export const featureTextLimit = 2_000;

/**
 * The hashed features of a normalised text (` words separated by single spaces `, as
 * `normalizeForMatching` returns it), in `dimension` buckets (a power of two).
 */
export function hashedFeatures(normalized: string, dimension: number): HashedFeatures {
  const mask = dimension - 1;
  const text = normalized.length > featureTextLimit ? normalized.slice(0, featureTextLimit) : normalized;
  const buckets = new Set<number>();
  const words = text.trim() === '' ? [] : text.trim().split(' ');
  let previous: number | undefined;
  for (const word of words) {
    const hash = hashRange(word, { start: 0, end: word.length, seed: seeds.word });
    buckets.add(hash & mask);
    if (previous !== undefined) buckets.add((Math.imul(previous ^ seeds.bigram, fnvPrime) ^ hash) & mask);
    previous = hash;
  }
  for (let size = 3; size <= 5; size += 1) {
    for (let start = 0; start + size <= text.length; start += 1) {
      buckets.add(hashRange(text, { start, end: start + size, seed: seeds.char + size }) & mask);
    }
  }
  const indices = Uint32Array.from(buckets).sort();
  const values = new Float32Array(indices.length).fill(indices.length === 0 ? 0 : 1 / Math.sqrt(indices.length));
  return { indices, values };
}
