/** A sparse feature vector: parallel arrays of feature indices and their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

/** Options of {@link hashedNgramFeatures}. */
export interface HashedNgramOptions {
  /** Size of the hashed feature space (2¹⁸ by default). */
  dimensions?: number;
  /** Longest word n-gram (2 by default: words and word pairs). */
  maxNgram?: number;
}

/** 32-bit FNV-1a hash of a string's UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Lower-cased runs of letters and digits (any script). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Word n-grams of a text hashed into a fixed number of features (the hashing trick), each weighted by a sublinear
 * term frequency 1 + ln(count) and the vector scaled to unit length, so long and short texts weigh alike.
 */
export function hashedNgramFeatures(text: string, options: HashedNgramOptions = {}): SparseVector {
  const dimensions = options.dimensions ?? 2 ** 18;
  const maxNgram = options.maxNgram ?? 2;
  const tokens = words(text);
  const counts = new Map<number, number>();
  for (let length = 1; length <= maxNgram; length++) {
    for (let start = 0; start + length <= tokens.length; start++) {
      const feature = fnv1a(`${length}:${tokens.slice(start, start + length).join(' ')}`) % dimensions;
      counts.set(feature, (counts.get(feature) ?? 0) + 1);
    }
  }
  const indices = Int32Array.from(counts.keys());
  const values = Float64Array.from(counts.values(), (count) => 1 + Math.log(count));
  let squares = 0;
  for (const value of values) squares += value * value;
  const norm = Math.sqrt(squares);
  if (norm > 0) for (let index = 0; index < values.length; index++) values[index] /= norm;
  return { indices, values };
}
